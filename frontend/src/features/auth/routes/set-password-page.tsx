import { Alert, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useLocation, useRouter } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { useDocumentTitle } from '@/hooks/use-document-title';

import { login, type LoginResponse } from '../api/login';
import { LoginFlow } from '../components/login-flow';
import { SetPasswordForm } from '../components/set-password-form';
import { useCompleteLogin } from '../hooks/use-complete-login';

/** The link's token: in the fragment (`#token=…`, never sent to a server log) or, from older links, the query. */
export function tokenFromLocation(hash: string, search: Record<string, unknown>): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (fromHash) return fromHash;
  return typeof search.token === 'string' && search.token ? search.token : null;
}

type Step =
  | { kind: 'form' }
  | { kind: 'signing-in' }
  | { kind: 'second-factor'; ticket: Exclude<LoginResponse, { status: 'authenticated' }> }
  | { kind: 'login' };

/**
 * Where the invitation or reset link lands: set the password, then go on signed in (through
 * the second factor, or enrolling one, when the account or organisation needs it).
 */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const router = useRouter();
  const completeLogin = useCompleteLogin();
  useDocumentTitle(t('account.setPassword.heading'));
  const [token] = useState(() => tokenFromLocation(location.hash, location.search as Record<string, unknown>));
  const [step, setStep] = useState<Step>({ kind: 'form' });

  // The token works once: keep it out of the address bar and the browser's history.
  useEffect(() => {
    if (token) router.history.replace('/set-password');
  }, [token, router]);

  const signIn = (email: string, password: string) => {
    setStep({ kind: 'signing-in' });
    void login({ email, password }).then(
      (response) => {
        if (response.status === 'authenticated') completeLogin(response, '/');
        else setStep({ kind: 'second-factor', ticket: response });
      },
      () => {
        // A mistyped login name: the password is set all the same; log in as usual.
        setStep({ kind: 'login' });
      },
    );
  };

  let body: ReactNode;
  if (!token) {
    body = (
      <Alert color="alert" role="alert" title={t('account.setPassword.noToken')}>
        {t('account.setPassword.noTokenBody')} <AnchorLink to="/login">{t('account.setPassword.toLogin')}</AnchorLink>
      </Alert>
    );
  } else if (step.kind === 'form') {
    body = <SetPasswordForm token={token} onDone={signIn} />;
  } else if (step.kind === 'signing-in') {
    body = (
      <Stack align="center" gap="sm" role="status">
        <Loader aria-hidden />
        <Text>{t('account.setPassword.signingIn')}</Text>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="md">
        <Alert color="success" role="status" title={t('account.setPassword.done')}>
          {step.kind === 'login' ? t('account.setPassword.doneLogin') : t('account.setPassword.doneSecondFactor')}
        </Alert>
        <LoginFlow
          {...(step.kind === 'second-factor' ? { ticket: step.ticket } : {})}
          onLoggedIn={(session) => {
            completeLogin(session, '/');
          }}
        />
      </Stack>
    );
  }

  return (
    <Container size={480} py="xl">
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>{t('app.name')}</Title>
          <Text size="lg">{t('app.description')}</Text>
        </Stack>
        <Paper withBorder p="lg">
          {body}
        </Paper>
      </Stack>
    </Container>
  );
}
