import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useSetPassword } from '../api/set-password';
import { accountFieldError, formErrors } from './account-errors';
import { NewPasswordFields } from './new-password-fields';
import { userInputs, validateNewPassword } from './password-policy';

const serverFields = ['new_password'] as const;

/** What the invitation or reset link's page asks: the login name, and the new password twice. */
export function SetPasswordForm({ token, onDone }: { token: string; onDone: (email: string, password: string) => void }) {
  const { t } = useTranslation();
  const setPassword = useSetPassword();
  const [email, setEmail] = useState('');
  const [password, setPasswordValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const local = validateNewPassword({ new_password: password, new_password_repeat: repeat });
  const emailError = email.trim() ? undefined : 'required';
  const server = formErrors(t, setPassword.error, serverFields);
  const fieldError = (field: 'new_password' | 'new_password_repeat') => {
    const code = submitted ? local[field] : undefined;
    return code ? accountFieldError(t, field, code) : server.byField[field];
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (emailError || Object.keys(local).length > 0) return;
    setPassword.mutate(
      { token, new_password: password },
      {
        onSuccess: () => {
          onDone(email.trim(), password);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="set-password-heading">
      <Stack gap="md">
        <Title order={2} id="set-password-heading">
          {t('account.setPassword.heading')}
        </Title>
        <Text>{t('account.setPassword.intro')}</Text>
        {server.general && (
          <Alert color="alert" role="alert" title={t('account.setPassword.failed')}>
            {server.general}
          </Alert>
        )}
        <TextInput
          label={t('account.fields.email')}
          description={t('account.setPassword.emailHelp')}
          type="email"
          autoComplete="username"
          required
          value={email}
          error={submitted && emailError ? accountFieldError(t, 'email', emailError) : undefined}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
          data-autofocus
        />
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPasswordChange={setPasswordValue}
          onRepeatChange={setRepeat}
          inputs={userInputs(email)}
          errors={{ new_password: fieldError('new_password'), new_password_repeat: fieldError('new_password_repeat') }}
        />
        <Button type="submit" loading={setPassword.isPending}>
          {t('account.setPassword.submit')}
        </Button>
      </Stack>
    </form>
  );
}
