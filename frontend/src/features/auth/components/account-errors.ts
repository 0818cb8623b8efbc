import type { TFunction } from 'i18next';

import { fieldErrorMessage, translateIfExists } from '@/lib/field-errors';
import { isApiError } from '@/lib/problem';

/** A field error code's message in the account forms' own wording, else the app's. */
export function accountFieldError(t: TFunction, field: string, code: string): string {
  return translateIfExists(`account.errors.${field}.${code}`) ?? fieldErrorMessage(t, field, code);
}

export interface FormErrors {
  /** Messages shown beside the form's own fields. */
  byField: Record<string, string>;
  /** One message for above the form (throttled, expired link, a field the form lacks, the network). */
  general: string | null;
}

/**
 * What a failed account request means for a form with `fields`: a 422's field errors beside
 * their fields (from problem+json), everything else as one message above the form.
 */
export function formErrors(t: TFunction, error: unknown, fields: readonly string[]): FormErrors {
  if (!error) return { byField: {}, general: null };
  if (isApiError(error, 422) && error.fieldErrors.length > 0) {
    const byField: Record<string, string> = {};
    const other: string[] = [];
    for (const { field, code } of error.fieldErrors) {
      const message = accountFieldError(t, field, code);
      if (fields.includes(field)) byField[field] ??= message;
      else other.push(message);
    }
    return { byField, general: other.length > 0 ? other.join(' ') : null };
  }
  if (isApiError(error, 429)) {
    return { byField: {}, general: t('auth.errors.throttled', { count: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)) }) };
  }
  if (isApiError(error, 410)) return { byField: {}, general: t('account.setPassword.linkExpired') };
  if (isApiError(error, 409)) return { byField: {}, general: t('account.errors.conflict') };
  if (isApiError(error)) return { byField: {}, general: t('errors.unexpected') };
  return { byField: {}, general: t('errors.network') };
}
