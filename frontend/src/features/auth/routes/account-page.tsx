import { Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { useDocumentTitle } from '@/hooks/use-document-title';
import { useMe } from '@/lib/me';

import { ChangePasswordForm } from '../components/change-password-form';
import { SessionsSection } from '../components/sessions-section';
import { TwoFactorSection } from '../components/two-factor-section';

/** The user's own account: password, two-factor authentication, sessions. */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  useDocumentTitle(t('account.heading'));
  return (
    <Container size="md" py="md">
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>{t('account.heading')}</Title>
          {me && (
            <Text data-testid="account-identity">
              {me.display_name} · {me.email} · {me.organisation.name}
            </Text>
          )}
        </Stack>
        <Paper withBorder p="lg">
          <ChangePasswordForm />
        </Paper>
        <Paper withBorder p="lg">
          <TwoFactorSection />
        </Paper>
        <Paper withBorder p="lg">
          <SessionsSection />
        </Paper>
      </Stack>
    </Container>
  );
}
