import type { UpdateAgreementRequest } from '../api/agreements';

export interface EndAgreementValues {
  endedOn: string;
  reason: string;
}

export const endAgreementFields = ['ended_on', 'end_reason'] as const;
export type EndAgreementField = (typeof endAgreementFields)[number];

/** The server's checks, with its codes: a date not before the signing, and a reason. */
export function validateEndAgreement(values: EndAgreementValues, signedOn: string | null | undefined): Partial<Record<EndAgreementField, string>> {
  const errors: Partial<Record<EndAgreementField, string>> = {};
  if (!values.endedOn) errors.ended_on = 'required';
  else if (signedOn && values.endedOn < signedOn) errors.ended_on = 'before_signed';
  if (!values.reason.trim()) errors.end_reason = 'required';
  else if (values.reason.trim().length > 500) errors.end_reason = 'too_long';
  return errors;
}

export function toEndAgreement(values: EndAgreementValues): UpdateAgreementRequest {
  return { state: 'ended', ended_on: values.endedOn, end_reason: values.reason.trim() };
}
