import { Alert, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { LoginFlow } from '@/features/auth/components/login-flow';
import { useCompleteLogin } from '@/features/auth/hooks/use-complete-login';
import { ServerStatus } from '@/features/system/components/server-status';
import { useDocumentTitle } from '@/hooks/use-document-title';

/** Only paths of this app: never an absolute or protocol-relative URL (open redirect). */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) {
    return '/';
  }
  return target;
}

export function LoginPage() {
  const { t } = useTranslation();
  const completeLogin = useCompleteLogin();
  const search: { redirect?: unknown; expired?: unknown } = useSearch({ strict: false });
  useDocumentTitle(t('auth.login.heading'));

  return (
    <Container size={440} py="xl">
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>{t('app.name')}</Title>
          <Text size="lg">{t('app.description')}</Text>
        </Stack>
        {search.expired === true && (
          <Alert color="warning" role="status" title={t('auth.expired.title')}>
            {t('auth.expired.body')}
          </Alert>
        )}
        <Paper withBorder p="lg">
          <LoginFlow
            onLoggedIn={(session) => {
              completeLogin(session, safeRedirect(search.redirect));
            }}
          />
        </Paper>
        <ServerStatus />
      </Stack>
    </Container>
  );
}
