import { Alert, Badge, Button, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useMe } from '@/lib/me';
import { apiKey } from '@/lib/query-keys';

import { useMfaConfirm, useMfaDisable, useMfaSetup, type MfaSetup } from '../api/mfa';
import { PasswordField } from './password-field';
import { accountFieldError, formErrors } from './account-errors';
import { QrCode } from './qr-code';
import { RecoveryCodes } from './recovery-codes';

type State = { kind: 'idle' } | { kind: 'enrolling'; setup: MfaSetup } | { kind: 'codes'; codes: string[] } | { kind: 'disabling' };

/** Codes are typed with spaces as apps show them ("123 456"); the server wants the digits. */
export const normaliseCode = (code: string) => code.replace(/\s+/g, '');

/** Validation of a confirmation code before it is sent: six digits. */
export function checkCode(code: string): 'required' | 'format' | null {
  const digits = normaliseCode(code);
  if (!digits) return 'required';
  return /^\d{6}$/.test(digits) ? null : 'format';
}

function EnrolForm({ setup, onDone, onCancel }: { setup: MfaSetup; onDone: (codes: string[]) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const confirm = useMfaConfirm();
  const [code, setCode] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const local = checkCode(code);
  const server = formErrors(t, confirm.error, ['code']);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (local) return;
    confirm.mutate(normaliseCode(code), {
      onSuccess: (enabled) => {
        onDone(enabled.recovery_codes);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('account.mfa.enrolHeading')}>
      <Stack gap="sm">
        <Title order={3}>{t('account.mfa.enrolHeading')}</Title>
        <Text>{t('account.mfa.enrolIntro')}</Text>
        <QrCode uri={setup.otpauth_uri} />
        <Text>
          {t('auth.enrol.manual')} <Code data-testid="mfa-secret">{setup.secret}</Code>
        </Text>
        {server.general && (
          <Alert color="alert" role="alert" title={t('errors.saveFailed')}>
            {server.general}
          </Alert>
        )}
        <TextInput
          label={t('auth.enrol.code')}
          description={t('account.mfa.codeHelp')}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          error={submitted && local ? accountFieldError(t, 'code', local) : server.byField.code}
          onChange={(event) => {
            setCode(event.currentTarget.value);
          }}
        />
        <Group>
          <Button type="submit" loading={confirm.isPending}>
            {t('account.mfa.confirm')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DisableForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const disable = useMfaDisable();
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const server = formErrors(t, disable.error, ['current_password']);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!password) return;
    disable.mutate(password, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('account.mfa.disableHeading')}>
      <Stack gap="sm">
        <Text>{t('account.mfa.disableIntro')}</Text>
        {server.general && (
          <Alert color="alert" role="alert" title={t('errors.saveFailed')}>
            {server.general}
          </Alert>
        )}
        <PasswordField
          label={t('account.fields.current_password')}
          autoComplete="current-password"
          required
          value={password}
          error={submitted && !password ? accountFieldError(t, 'current_password', 'required') : server.byField.current_password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <Group>
          <Button type="submit" color="alert" loading={disable.isPending}>
            {t('account.mfa.disableConfirm')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Two-factor authentication of one's own account: turn it on (QR code, code, recovery codes) or off. */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const setup = useMfaSetup();
  const [state, setState] = useState<State>({ kind: 'idle' });
  if (!me) return null;

  const body = () => {
    switch (state.kind) {
      case 'codes':
        return (
          <RecoveryCodes
            headingOrder={3}
            codes={state.codes}
            onContinue={() => {
              setState({ kind: 'idle' });
              void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/auth/me') });
            }}
          />
        );
      case 'enrolling':
        return (
          <EnrolForm
            setup={state.setup}
            onDone={(codes) => {
              setState({ kind: 'codes', codes });
            }}
            onCancel={() => {
              setState({ kind: 'idle' });
            }}
          />
        );
      case 'disabling':
        return (
          <DisableForm
            onDone={() => {
              setState({ kind: 'idle' });
            }}
            onCancel={() => {
              setState({ kind: 'idle' });
            }}
          />
        );
      case 'idle':
        if (me.mfa_enabled) {
          return me.mfa_required ? (
            <Text>{t('account.mfa.required')}</Text>
          ) : (
            <Group>
              <Button
                variant="default"
                onClick={() => {
                  setState({ kind: 'disabling' });
                }}
              >
                {t('account.mfa.disable')}
              </Button>
            </Group>
          );
        }
        return (
          <Stack gap="sm">
            <Text>{t('account.mfa.offIntro')}</Text>
            {setup.isError && (
              <Alert color="alert" role="alert">
                {formErrors(t, setup.error, []).general}
              </Alert>
            )}
            <Group>
              <Button
                loading={setup.isPending}
                onClick={() => {
                  setup.mutate(undefined, {
                    onSuccess: (secret) => {
                      setState({ kind: 'enrolling', setup: secret });
                    },
                  });
                }}
              >
                {t('account.mfa.enable')}
              </Button>
            </Group>
          </Stack>
        );
    }
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="two-factor-heading" data-testid="two-factor">
      <Group justify="space-between">
        <Title order={2} id="two-factor-heading">
          {t('account.mfa.heading')}
        </Title>
        <Badge variant="light" color={me.mfa_enabled ? 'success' : 'depth'} data-testid="mfa-status">
          {me.mfa_enabled ? t('account.mfa.on') : t('account.mfa.off')}
        </Badge>
      </Group>
      {body()}
    </Stack>
  );
}
