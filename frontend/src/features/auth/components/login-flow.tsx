import { Alert, Anchor, Button, Code, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { components } from '@/api/schema';
import { isApiError } from '@/lib/problem';

import { useLogin } from '../api/login';
import { useLoginMfa } from '../api/login-mfa';
import { useLoginMfaConfirm } from '../api/login-mfa-confirm';
import { useLoginMfaSetup, type MfaSetup } from '../api/login-mfa-setup';
import { QrCode } from './qr-code';
import { RecoveryCodes } from './recovery-codes';

type Token = components['schemas']['TokenResponse'];

type Step =
  | { kind: 'password' }
  | { kind: 'mfa'; ticket: string }
  | { kind: 'enrol'; ticket: string }
  | { kind: 'recovery-codes'; codes: string[]; session: Token };

interface LoginFlowProps {
  /** Called with the new session once every step is done. */
  onLoggedIn: (session: Token) => void;
  /** A password step already taken elsewhere (setting a new password): start at what it asked for. */
  ticket?: { status: 'mfa_required' | 'mfa_enrolment_required'; mfa_token: string };
}

/** Password, then the second factor — or enrolling one when the organisation requires it. */
export function LoginFlow({ onLoggedIn, ticket }: LoginFlowProps) {
  const [step, setStep] = useState<Step>(() =>
    !ticket
      ? { kind: 'password' }
      : ticket.status === 'mfa_required'
        ? { kind: 'mfa', ticket: ticket.mfa_token }
        : { kind: 'enrol', ticket: ticket.mfa_token },
  );

  switch (step.kind) {
    case 'password':
      return (
        <PasswordStep
          onDone={(response) => {
            if (response.status === 'authenticated') onLoggedIn(response);
            else if (response.status === 'mfa_required') setStep({ kind: 'mfa', ticket: response.mfa_token });
            else setStep({ kind: 'enrol', ticket: response.mfa_token });
          }}
        />
      );
    case 'mfa':
      return (
        <MfaStep
          ticket={step.ticket}
          onDone={onLoggedIn}
          onRestart={() => {
            setStep({ kind: 'password' });
          }}
        />
      );
    case 'enrol':
      return (
        <EnrolStep
          ticket={step.ticket}
          onDone={(codes, session) => {
            setStep({ kind: 'recovery-codes', codes, session });
          }}
          onRestart={() => {
            setStep({ kind: 'password' });
          }}
        />
      );
    case 'recovery-codes':
      return (
        <RecoveryCodes
          codes={step.codes}
          onContinue={() => {
            onLoggedIn(step.session);
          }}
        />
      );
  }
}

function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown, wrongCredentials: string) => {
    if (isApiError(error, 401)) return wrongCredentials;
    if (isApiError(error, 429)) {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      return t('auth.errors.throttled', { count: minutes });
    }
    if (isApiError(error)) return t('errors.unexpected');
    return t('errors.network');
  };
}

function PasswordStep({ onDone }: { onDone: (response: ReturnType<typeof useLogin>['data'] & object) => void }) {
  const { t } = useTranslation();
  const login = useLogin();
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errorId = useId();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby={login.isError ? errorId : undefined}>
      <Stack gap="md">
        <Title order={2}>{t('auth.login.heading')}</Title>
        {login.isError && (
          <Alert color="alert" role="alert" id={errorId} title={t('auth.login.failed')}>
            {errorMessage(login.error, t('auth.errors.wrongPassword'))}
          </Alert>
        )}
        <TextInput
          label={t('auth.login.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
          data-autofocus
        />
        <PasswordInput
          label={t('auth.login.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <Button type="submit" loading={login.isPending} disabled={!email || !password}>
          {t('auth.login.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function CodeInput({ value, onChange, label, description }: { value: string; onChange: (value: string) => void; label: string; description: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <TextInput
      ref={ref}
      label={label}
      description={description}
      autoComplete="one-time-code"
      inputMode="text"
      required
      value={value}
      onChange={(event) => {
        onChange(event.currentTarget.value);
      }}
    />
  );
}

function MfaStep({ ticket, onDone, onRestart }: { ticket: string; onDone: (session: Token) => void; onRestart: () => void }) {
  const { t } = useTranslation();
  const mfa = useLoginMfa();
  const errorMessage = useErrorMessage();
  const [code, setCode] = useState('');

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    mfa.mutate(
      { mfa_token: ticket, code: code.replace(/\s+/g, '') },
      {
        onSuccess: (response) => {
          if (response.status === 'authenticated') onDone(response);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Title order={2}>{t('auth.mfa.heading')}</Title>
        <Text>{t('auth.mfa.intro')}</Text>
        {mfa.isError && (
          <Alert color="alert" role="alert" title={t('auth.login.failed')}>
            {errorMessage(mfa.error, t('auth.errors.wrongCode'))}
          </Alert>
        )}
        <CodeInput label={t('auth.mfa.code')} description={t('auth.mfa.codeHelp')} value={code} onChange={setCode} />
        <Button type="submit" loading={mfa.isPending} disabled={!code.trim()}>
          {t('auth.mfa.submit')}
        </Button>
        <Anchor component="button" type="button" onClick={onRestart}>
          {t('auth.mfa.restart')}
        </Anchor>
      </Stack>
    </form>
  );
}

function EnrolStep({
  ticket,
  onDone,
  onRestart,
}: {
  ticket: string;
  onDone: (codes: string[], session: Token) => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const setup = useLoginMfaSetup();
  const confirm = useLoginMfaConfirm();
  const errorMessage = useErrorMessage();
  const [code, setCode] = useState('');
  const [secret, setSecret] = useState<MfaSetup | null>(null);
  const { mutate: startSetup } = setup;

  useEffect(() => {
    startSetup(ticket, { onSuccess: setSecret });
  }, [ticket, startSetup]);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    confirm.mutate(
      { mfa_token: ticket, code: code.replace(/\s+/g, '') },
      {
        onSuccess: (response) => {
          if (response.session) onDone(response.recovery_codes, response.session);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Title order={2}>{t('auth.enrol.heading')}</Title>
        <Text>{t('auth.enrol.intro')}</Text>
        {setup.isError && (
          <Alert color="alert" role="alert">
            {errorMessage(setup.error, t('auth.errors.ticketExpired'))}
          </Alert>
        )}
        {secret && (
          <>
            <QrCode uri={secret.otpauth_uri} />
            <Text>
              {t('auth.enrol.manual')} <Code data-testid="mfa-secret">{secret.secret}</Code>
            </Text>
            {confirm.isError && (
              <Alert color="alert" role="alert" title={t('auth.login.failed')}>
                {errorMessage(confirm.error, t('auth.errors.wrongCode'))}
              </Alert>
            )}
            <CodeInput label={t('auth.enrol.code')} description={t('auth.mfa.codeHelp')} value={code} onChange={setCode} />
            <Button type="submit" loading={confirm.isPending} disabled={!code.trim()}>
              {t('auth.enrol.submit')}
            </Button>
          </>
        )}
        <Anchor component="button" type="button" onClick={onRestart}>
          {t('auth.mfa.restart')}
        </Anchor>
      </Stack>
    </form>
  );
}
