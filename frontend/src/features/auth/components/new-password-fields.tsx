import { Stack } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { PasswordField } from './password-field';
import { PasswordStrength } from './password-strength';

interface NewPasswordFieldsProps {
  password: string;
  repeat: string;
  onPasswordChange: (value: string) => void;
  onRepeatChange: (value: string) => void;
  /** The user's name and email: a password made of them is weak. */
  inputs: string[];
  errors: { new_password?: string | undefined; new_password_repeat?: string | undefined };
}

/** A new password with its strength meter, and the same again to catch a typo. */
export function NewPasswordFields({ password, repeat, onPasswordChange, onRepeatChange, inputs, errors }: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  const strengthId = useId();
  return (
    <Stack gap="sm">
      <Stack gap={4}>
        <PasswordField
          label={t('account.fields.new_password')}
          autoComplete="new-password"
          required
          value={password}
          error={errors.new_password}
          describedBy={strengthId}
          onChange={(event) => {
            onPasswordChange(event.currentTarget.value);
          }}
        />
        <PasswordStrength id={strengthId} password={password} inputs={inputs} />
      </Stack>
      <PasswordField
        label={t('account.fields.new_password_repeat')}
        autoComplete="new-password"
        required
        value={repeat}
        error={errors.new_password_repeat}
        onChange={(event) => {
          onRepeatChange(event.currentTarget.value);
        }}
      />
    </Stack>
  );
}
