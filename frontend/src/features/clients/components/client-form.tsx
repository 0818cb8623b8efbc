import { Alert, Fieldset, Group, List, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { fieldErrorMessage, mapFieldErrors } from '@/lib/field-errors';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';
import { useUnits } from '@/lib/units';
import { checkIban, checkIdentityCode } from '@/lib/validation';

import {
  educationLevels,
  formFields,
  genders,
  referrers,
  serviceLanguages,
  type ClientFormValues,
} from './client-form-values';

export type ClientForm = UseFormReturnType<ClientFormValues> & {
  /** Fields the user has left at least once: from then on they are checked strictly. */
  leftFields: Set<string>;
};

/**
 * The client form's state, with checks that mirror the API's: the identity code and IBAN are
 * checked as they are typed (once complete, or when the field is left), the rest when left.
 */
export function useClientForm(initialValues: ClientFormValues): ClientForm {
  const { t } = useTranslation();
  const [left] = useState(() => new Set<string>());
  const strict = (field: string) => left.has(field);

  const form = useForm<ClientFormValues>({
    mode: 'controlled',
    initialValues,
    validateInputOnBlur: true,
    validateInputOnChange: ['personal_identity_code', 'iban', 'first_names', 'last_name'],
    validate: {
      first_names: (value) => (value.trim() ? null : fieldErrorMessage(t, 'first_names', 'required')),
      last_name: (value) => (value.trim() ? null : fieldErrorMessage(t, 'last_name', 'required')),
      personal_identity_code: (value) => {
        const code = value.trim();
        if (!code) return null;
        const error = checkIdentityCode(code);
        // Half-typed is not wrong yet, unless the user has moved on.
        if (error === 'format' && code.length < 11 && !strict('personal_identity_code')) return null;
        return error ? fieldErrorMessage(t, 'personal_identity_code', error) : null;
      },
      iban: (value) => {
        const iban = value.replace(/\s+/g, '');
        if (!iban) return null;
        const error = checkIban(iban);
        const incomplete = iban.length < (iban.toUpperCase().startsWith('FI') ? 18 : 15);
        if (error && error !== 'checksum' && incomplete && !strict('iban')) return null;
        return error ? fieldErrorMessage(t, 'iban', error) : null;
      },
      email: (value) => (value.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? fieldErrorMessage(t, 'email', 'invalid_email') : null),
      birth_date: (value, values) =>
        value && !values.personal_identity_code.trim() && value > new Date().toISOString().slice(0, 10)
          ? fieldErrorMessage(t, 'birth_date', 'future_date')
          : null,
    },
  });
  return Object.assign(form, { leftFields: left });
}

/**
 * Puts a failed save's field errors onto the form's fields (focusing the first) and returns
 * the messages that belong to no field, to show above the form.
 */
export function applyServerErrors(t: TFunction, form: ClientForm, error: unknown): string[] {
  if (!isApiError(error, 422)) return [];
  const { byField, other } = mapFieldErrors(t, error.fieldErrors, formFields);
  form.setErrors(byField);
  const first = formFields.find((field) => byField[field]);
  if (first) document.getElementById(fieldId(first))?.focus();
  return other;
}

const fieldId = (field: string) => `client-${field}`;

export function ClientFormFields({
  form,
  mode,
  maskedIdentityCode,
  maskedIban,
  generalErrors,
}: {
  form: ClientForm;
  mode: 'create' | 'edit';
  maskedIdentityCode?: string | null;
  maskedIban?: string | null;
  generalErrors: string[];
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const canSensitive = useCan('sensitive_history');
  const input = (field: keyof ClientFormValues) => {
    const props = form.getInputProps(field);
    return {
      id: fieldId(field),
      ...props,
      onBlur: (event: unknown) => {
        form.leftFields.add(field);
        (props.onBlur as ((event: unknown) => void) | undefined)?.(event);
      },
    };
  };
  const label = (field: keyof ClientFormValues) => t(`clients.fields.${field}`);
  const options = <T extends string>(values: readonly T[], prefix: 'gender' | 'language' | 'referrer' | 'education_level') =>
    values.map((value) => ({ value, label: t(`clients.options.${prefix}.${value}` as 'clients.options.gender.male') }));
  const hasCode = form.values.personal_identity_code.trim() !== '' || Boolean(maskedIdentityCode);

  return (
    <Stack gap="lg">
      {generalErrors.length > 0 && (
        <Alert color="alert" role="alert" title={t('errors.saveFailed')}>
          <List>
            {generalErrors.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Fieldset legend={t('clients.sections.person')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={label('last_name')} required autoComplete="off" {...input('last_name')} />
          <TextInput label={label('first_names')} required autoComplete="off" {...input('first_names')} />
          <TextInput
            label={label('personal_identity_code')}
            description={
              mode === 'edit' && maskedIdentityCode
                ? t('clients.form.identityCodeKeep', { masked: maskedIdentityCode })
                : t('clients.form.identityCodeHelp')
            }
            autoComplete="off"
            spellCheck={false}
            maxLength={11}
            {...input('personal_identity_code')}
          />
          <DateField
            label={label('birth_date')}
            description={hasCode ? t('clients.form.birthDateFromCode') : t('clients.form.birthDateHelp')}
            disabled={hasCode}
            min="1900-01-01"
            {...input('birth_date')}
            value={form.values.birth_date}
            onChange={(value) => {
              form.setFieldValue('birth_date', value);
            }}
          />
          <NativeSelect label={label('gender')} data={options(genders, 'gender')} {...input('gender')} />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={t('clients.sections.contact')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={label('phone')} type="tel" autoComplete="off" {...input('phone')} />
          <TextInput label={label('email')} type="email" autoComplete="off" {...input('email')} />
          <TextInput label={label('street_address')} autoComplete="off" {...input('street_address')} />
          <Group grow align="flex-start">
            <TextInput label={label('postal_code')} autoComplete="off" inputMode="numeric" {...input('postal_code')} />
            <TextInput label={label('post_office')} autoComplete="off" {...input('post_office')} />
          </Group>
          <TextInput label={label('home_municipality')} autoComplete="off" {...input('home_municipality')} />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={t('clients.sections.service')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={label('unit_id')}
            required
            data={(units.data?.items ?? []).filter((unit) => !unit.closed_at).map((unit) => ({ value: unit.id, label: unit.name }))}
            {...input('unit_id')}
          />
          <NativeSelect label={label('language')} data={options(serviceLanguages, 'language')} {...input('language')} />
          <NativeSelect label={label('referrer')} data={options(referrers, 'referrer')} {...input('referrer')} />
          <NativeSelect
            label={label('education_level')}
            data={options(educationLevels, 'education_level')}
            {...input('education_level')}
          />
          <TextInput
            label={label('mother_tongue')}
            description={t('clients.form.motherTongueHelp')}
            maxLength={7}
            {...input('mother_tongue')}
          />
          <TextInput
            label={label('nationality')}
            description={t('clients.form.nationalityHelp')}
            maxLength={7}
            {...input('nationality')}
          />
          <TextInput label={label('profession')} {...input('profession')} />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={t('clients.sections.payment')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={label('iban')}
            description={
              mode === 'edit' && maskedIban ? t('clients.form.ibanKeep', { masked: maskedIban }) : t('clients.form.ibanHelp')
            }
            autoComplete="off"
            spellCheck={false}
            {...input('iban')}
          />
        </SimpleGrid>
      </Fieldset>

      {canSensitive && (
        <Fieldset legend={t('clients.sections.sensitive')}>
          <Text size="sm" mb="xs">
            {t('clients.form.sensitiveHelp')}
          </Text>
          <TextInput label={label('trade_union')} {...input('trade_union')} />
        </Fieldset>
      )}
    </Stack>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return (
    <Group justify="flex-end" gap="sm">
      {children}
    </Group>
  );
}
