import type { DiaryEntry } from '../api/types';
import type { UpdateDiaryEntryRequest } from '../api/update-diary-entry';

/** The correction form's values as typed. */
export interface DiaryEditValues {
  entryDate: string;
  body: string;
  reason: string;
  /** Special-category content (offered only to users with the sensitive grant). */
  sensitive: boolean;
}

export const diaryEditFields = ['entry_date', 'body', 'reason'] as const;
export type DiaryEditField = (typeof diaryEditFields)[number];

/**
 * Whether a change to `entry` is a correction that needs a reason: another author's entry, or
 * the author's own after the organisation's edit window (as the server decides it).
 */
export function needsReason(entry: DiaryEntry, userId: string | undefined, now: Date = new Date()): boolean {
  const own = entry.author_id != null && entry.author_id === userId;
  return !own || now.getTime() > new Date(entry.editable_until).getTime();
}

/** The server's checks, with its codes: text kept, reason when a correction needs one. */
export function validateDiaryEdit(values: DiaryEditValues, reasonNeeded: boolean): Partial<Record<DiaryEditField, string>> {
  const errors: Partial<Record<DiaryEditField, string>> = {};
  if (!values.body.trim()) errors.body = 'required';
  else if (values.body.trim().length > 20_000) errors.body = 'too_long';
  if (!values.entryDate) errors.entry_date = 'required';
  if (reasonNeeded && !values.reason.trim()) errors.reason = 'required';
  else if (values.reason.trim().length > 500) errors.reason = 'too_long';
  return errors;
}

/** Only what changed, and the reason when given. */
export function toDiaryUpdate(entry: DiaryEntry, values: DiaryEditValues): UpdateDiaryEntryRequest {
  const body: UpdateDiaryEntryRequest = {};
  if (values.entryDate !== entry.entry_date) body.entry_date = values.entryDate;
  if (values.body.trim() !== entry.body) body.body = values.body.trim();
  if (values.sensitive !== entry.sensitive) body.sensitive = values.sensitive;
  if (values.reason.trim()) body.reason = values.reason.trim();
  return body;
}
