// What the period actions' forms check before sending, with the server's own error codes so a
// field shows the same message whichever side found the problem, and the bodies they send.

import type { TFunction } from 'i18next';

import { fieldErrorMessage, mapFieldErrors, translateIfExists } from '@/lib/field-errors';
import { isApiError } from '@/lib/problem';

import type { UpdatePeriodRequest } from '../api/update-period';
import type { Period } from '../api/types';

/** Longest closing note and follow-up note (the server's limits). */
export const MAX_NOTE = 4000;
/** Longest workplace name. */
export const MAX_WORKPLACE = 200;

export type Outcome = NonNullable<Period['outcome']>;
export const outcomes: Outcome[] = ['education', 'work', 'other_activity', 'negative', 'unknown'];

/** A field's message: this feature's wording for the field and code first, then the app's. */
export function periodFieldMessage(t: TFunction, field: string, code: string): string {
  return translateIfExists(`periodActions.errors.${field}.${code}`) ?? fieldErrorMessage(t, field, code);
}

/**
 * The messages of a form: its own checks' codes, else the field errors of a 422 the server
 * answered (beside their fields, the rest above the form).
 */
export function formErrors(
  t: TFunction,
  local: Record<string, string>,
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  for (const [field, code] of Object.entries(local)) byField[field] = periodFieldMessage(t, field, code);
  if (Object.keys(byField).length > 0 || !isApiError(error, 422)) return { byField, other: [] };
  const mapped = mapFieldErrors(t, error.fieldErrors, fields);
  for (const fieldError of error.fieldErrors) {
    if (fields.includes(fieldError.field) && mapped.byField[fieldError.field] !== undefined) {
      mapped.byField[fieldError.field] = periodFieldMessage(t, fieldError.field, fieldError.code);
    }
  }
  return mapped;
}

export interface CloseValues {
  endsOn: string;
  outcome: Outcome | '';
  outcomeCode: string;
  note: string;
}

/** The close form's problems by field (error codes), as the server would find them. */
export function checkClose(values: CloseValues, startsOn: string, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.endsOn) errors.ends_on = 'required';
  else if (values.endsOn > today) errors.ends_on = 'in_future';
  else if (values.endsOn < startsOn) errors.ends_on = 'before_start';
  if (!values.outcome) errors.outcome = 'required';
  if (values.note.trim().length > MAX_NOTE) errors.closing_note = 'too_long';
  return errors;
}

export interface EditValues {
  serviceType: string;
  referrer: string;
  notifiedOn: string;
  mode: Period['mode'];
  workplace: string;
  coachId: string;
  weekdays: string[];
  daysPerWeek: number | string;
  hoursPerDay: number | string;
  plannedEndOn: string;
  reason: string;
}

/** The form's values of a period as it is. */
export function editValuesOf(period: Period): EditValues {
  return {
    serviceType: period.service_type,
    referrer: period.referrer ?? '',
    notifiedOn: period.notified_on ?? '',
    mode: period.mode,
    workplace: period.workplace ?? '',
    coachId: period.coach_id ?? '',
    weekdays: period.weekdays.map(String),
    daysPerWeek: period.days_per_week ?? '',
    hoursPerDay: period.hours_per_day ?? '',
    plannedEndOn: period.planned_end_on ?? '',
    reason: '',
  };
}

/** Days a week: the weekdays chosen, else the number given. */
export function plannedDays(values: EditValues): number | null {
  if (values.weekdays.length > 0) return values.weekdays.length;
  return typeof values.daysPerWeek === 'number' ? values.daysPerWeek : null;
}

export const plannedHours = (values: EditValues): number | null =>
  typeof values.hoursPerDay === 'number' ? values.hoursPerDay : null;

/** The edit form's problems by field (error codes), as the server would find them. */
export function checkEdit(values: EditValues, period: Period): Record<string, string> {
  const errors: Record<string, string> = {};
  const days = plannedDays(values);
  const hours = plannedHours(values);
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 7)) errors.days_per_week = 'out_of_range';
  if (hours !== null && (hours < 0.25 || hours > 24)) errors.hours_per_day = 'out_of_range';
  if (values.plannedEndOn && values.plannedEndOn < period.starts_on) errors.planned_end_on = 'before_start';
  if (values.workplace.trim().length > MAX_WORKPLACE) errors.workplace = 'too_long';
  if (values.reason.trim().length > 500) errors.reason = 'too_long';
  return errors;
}

const sameDays = (a: readonly number[], b: readonly number[]) => {
  const sorted = [...b].sort((x, y) => x - y);
  return a.length === b.length && [...a].sort((x, y) => x - y).every((day, index) => day === sorted[index]);
};

/** What changed, as the API's PATCH takes it: absent fields stay, `null` clears. */
export function editBody(period: Period, values: EditValues): UpdatePeriodRequest {
  const body: UpdatePeriodRequest = {};
  const orNull = (value: string) => value.trim() || null;
  if (values.serviceType !== period.service_type) body.service_type = values.serviceType;
  if (orNull(values.referrer) !== (period.referrer ?? null)) body.referrer = orNull(values.referrer);
  if (orNull(values.notifiedOn) !== (period.notified_on ?? null)) body.notified_on = orNull(values.notifiedOn);
  if (values.mode !== period.mode) body.mode = values.mode;
  if (orNull(values.workplace) !== (period.workplace ?? null)) body.workplace = orNull(values.workplace);
  if (orNull(values.coachId) !== (period.coach_id ?? null)) body.coach_id = orNull(values.coachId);
  const weekdays = values.weekdays.map(Number).sort((a, b) => a - b);
  if (!sameDays(weekdays, period.weekdays)) body.weekdays = weekdays;
  const days = plannedDays(values);
  if (days !== (period.days_per_week ?? null)) body.days_per_week = days;
  const hours = plannedHours(values);
  if (hours !== (period.hours_per_day ?? null)) body.hours_per_day = hours;
  if (orNull(values.plannedEndOn) !== (period.planned_end_on ?? null)) body.planned_end_on = orNull(values.plannedEndOn);
  if (Object.keys(body).length > 0 && values.reason.trim()) body.reason = values.reason.trim();
  return body;
}

/** The goal form's problems: something to save, a note within limits, a date not ahead. */
export function checkGoalUpdate(
  values: { status: string; note: string; notedOn: string },
  currentStatus: string,
  today: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.status === currentStatus && !values.note.trim()) errors.note = 'nothing_to_save';
  if (values.note.trim().length > MAX_NOTE) errors.note = 'too_long';
  if (values.note.trim() && values.notedOn > today) errors.noted_on = 'in_future';
  return errors;
}
