import type { TFunction } from 'i18next';

import { i18n } from './i18n';
import type { FieldError } from './problem';

/** `t` for keys built at run time (codes from the API); `undefined` when there is no such key. */
export function translateIfExists(key: string, options?: Record<string, unknown>): string | undefined {
  if (!i18n.exists(key)) return undefined;
  return (i18n.t as unknown as (key: string, options?: Record<string, unknown>) => string)(key, options);
}

/**
 * The message for a field error code, in the UI language: the field's own wording if it has
 * one (`errors.fields.iban.checksum`), else the code's (`errors.codes.required`), else a
 * generic "check this value" — never the API's English developer message.
 */
export function fieldErrorMessage(t: TFunction, field: string, code: string): string {
  return (
    translateIfExists(`errors.fields.${field}.${code}`) ??
    translateIfExists(`errors.codes.${code}`) ??
    t('errors.codes.invalid')
  );
}

/**
 * Splits a 422's field errors into those a form shows beside its own fields and the rest
 * (shown above the form), with translated messages.
 */
export function mapFieldErrors(
  t: TFunction,
  errors: FieldError[],
  formFields: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const error of errors) {
    const message = fieldErrorMessage(t, error.field, error.code);
    if (formFields.includes(error.field)) {
      byField[error.field] ??= message;
    } else {
      other.push(error.field ? `${translateIfExists(`clients.fields.${error.field}`) ?? error.field}: ${message}` : message);
    }
  }
  return { byField, other };
}
