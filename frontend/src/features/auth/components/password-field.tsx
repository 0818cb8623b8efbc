import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Mantine's password input with what it leaves out: the error is tied to the field
 * (`aria-invalid`, `aria-describedby`) and the show-password toggle speaks the UI language.
 */
export function PasswordField({ error, describedBy, ...props }: Omit<PasswordInputProps, 'id'> & { describedBy?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const describedByIds = [error ? `${id}-error` : null, describedBy ?? null].filter(Boolean).join(' ');
  return (
    <PasswordInput
      {...props}
      id={id}
      error={error}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedByIds || undefined}
      visibilityToggleButtonProps={{ 'aria-label': t('account.showPassword') }}
    />
  );
}
