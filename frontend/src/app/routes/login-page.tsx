import { Alert, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { LoginFlow } from '@/features/auth/components/login-flow';
import { ServerStatus } from '@/features/system/components/server-status';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { isLanguage } from '@/lib/i18n';
import { meQueryOptions } from '@/lib/me';
import { startSession } from '@/lib/session';

/** Only paths of this app: never an absolute or protocol-relative URL (open redirect). */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/login')) {
    return '/';
  }
  return target;
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const router = useRouter();
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
              startSession(session.access_token, session.expires_in);
              void (async () => {
                const me = await queryClient.query(meQueryOptions());
                // The user's own language preference applies from the moment they log in.
                if (isLanguage(me.language)) await i18n.changeLanguage(me.language);
                router.history.push(safeRedirect(search.redirect));
              })();
            }}
          />
        </Paper>
        <ServerStatus />
      </Stack>
    </Container>
  );
}
