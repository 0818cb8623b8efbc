import { isApiError } from '@/lib/problem';

import type { Consent, DataCategory, DisclosureRequest } from '../api/types';

/** What a disclosure rests on: the client's consent, or a law that requires it. */
export type DisclosureBasis = 'consent' | 'law';

/** The disclosure form's values as typed ('' for empty). */
export interface DisclosureFormValues {
  recipient: string;
  recipientCategory: string;
  categories: DataCategory[];
  basis: DisclosureBasis;
  /** A chosen consent; '' lets the server find the one in force for this recipient. */
  consentId: string;
  legalBasis: string;
}

/** The request's fields the form shows errors beside. */
export const disclosureFormFields = ['recipient', 'recipient_category', 'data_categories', 'consent_id', 'legal_basis'] as const;
export type DisclosureField = (typeof disclosureFormFields)[number];

export const emptyDisclosure: DisclosureFormValues = {
  recipient: '',
  recipientCategory: '',
  categories: [],
  basis: 'consent',
  consentId: '',
  legalBasis: '',
};

/**
 * The checks the server makes too, with its codes, so a field shows the same message
 * whichever found the problem: a recipient, at least one category, and a law named when
 * the disclosure rests on one.
 */
export function validateDisclosure(values: DisclosureFormValues): Partial<Record<DisclosureField, string>> {
  const errors: Partial<Record<DisclosureField, string>> = {};
  if (!values.recipient.trim()) errors.recipient = 'required';
  else if (values.recipient.trim().length > 300) errors.recipient = 'too_long';
  if (values.recipientCategory.trim().length > 300) errors.recipient_category = 'too_long';
  if (values.categories.length === 0) errors.data_categories = 'required';
  if (values.basis === 'law') {
    const law = values.legalBasis.trim();
    if (!law) errors.legal_basis = 'required';
    else if (law.length < 3) errors.legal_basis = 'too_short';
    else if (law.length > 500) errors.legal_basis = 'too_long';
  }
  return errors;
}

export function toDisclosureRequest(values: DisclosureFormValues): DisclosureRequest {
  const law = values.basis === 'law';
  return {
    recipient: values.recipient.trim(),
    recipient_category: values.recipientCategory.trim() || null,
    data_categories: values.categories,
    consent_id: !law && values.consentId ? values.consentId : null,
    legal_basis: law ? values.legalBasis.trim() : null,
  };
}

/** Why the server refused a disclosure (`no_consent`, `verbal_consent`, …), if it did. */
export function refusalCode(error: unknown): string | undefined {
  if (!isApiError(error, 409) || error.slug !== 'consent-required') return undefined;
  return error.fieldErrors.find((e) => e.field === 'consent_id')?.code ?? 'no_consent';
}

/** The consents a disclosure may name: the client's disclosure consents in force. */
export function disclosureConsents(consents: Consent[]): Consent[] {
  return consents.filter((consent) => consent.kind === 'disclosure' && consent.status === 'active');
}
