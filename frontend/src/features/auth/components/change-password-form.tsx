import { Alert, Button, Group, Stack, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useMe } from '@/lib/me';

import { useChangePassword } from '../api/change-password';
import { PasswordField } from './password-field';
import { accountFieldError, formErrors } from './account-errors';
import { NewPasswordFields } from './new-password-fields';
import { userInputs, validateNewPassword } from './password-policy';

const serverFields = ['current_password', 'new_password'] as const;

/** Change one's own password; the server ends every other session of the user. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const me = useMe();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [done, setDone] = useState(false);

  const local = validateNewPassword({ new_password: password, new_password_repeat: repeat });
  const currentError = current ? undefined : 'required';
  const server = formErrors(t, change.error, serverFields);
  const fieldError = (field: 'new_password' | 'new_password_repeat') => {
    const code = submitted ? local[field] : undefined;
    return code ? accountFieldError(t, field, code) : server.byField[field];
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setDone(false);
    if (currentError || Object.keys(local).length > 0) return;
    change.mutate(
      { current_password: current, new_password: password },
      {
        onSuccess: () => {
          setCurrent('');
          setPassword('');
          setRepeat('');
          setSubmitted(false);
          setDone(true);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="change-password-heading" data-testid="change-password">
      <Stack gap="sm">
        <Title order={2} id="change-password-heading">
          {t('account.changePassword.heading')}
        </Title>
        {done && (
          <Alert color="success" role="status" title={t('account.changePassword.done')}>
            {t('account.changePassword.doneBody')}
          </Alert>
        )}
        {server.general && (
          <Alert color="alert" role="alert" title={t('errors.saveFailed')}>
            {server.general}
          </Alert>
        )}
        <PasswordField
          label={t('account.fields.current_password')}
          autoComplete="current-password"
          required
          value={current}
          error={submitted && currentError ? accountFieldError(t, 'current_password', currentError) : server.byField.current_password}
          onChange={(event) => {
            setCurrent(event.currentTarget.value);
          }}
        />
        <NewPasswordFields
          password={password}
          repeat={repeat}
          onPasswordChange={setPassword}
          onRepeatChange={setRepeat}
          inputs={userInputs(me?.email, me?.display_name)}
          errors={{ new_password: fieldError('new_password'), new_password_repeat: fieldError('new_password_repeat') }}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            {t('account.changePassword.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
