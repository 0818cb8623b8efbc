import type { Client, CreateClientRequest, UpdateClientRequest } from '../api/types';

export const genders = ['unknown', 'female', 'male', 'other'] as const;
export const serviceLanguages = ['fi', 'sv', 'en', 'other'] as const;
export const referrers = [
  'unknown',
  'employment_services',
  'social_services',
  'health_services',
  'kela',
  'education',
  'self',
  'other',
] as const;
export const educationLevels = ['unknown', 'none', 'basic', 'upper_secondary', 'vocational', 'higher'] as const;

/** The form's values: text as typed ('' for empty), choices as their codes. */
export interface ClientFormValues {
  unit_id: string;
  first_names: string;
  last_name: string;
  personal_identity_code: string;
  birth_date: string;
  gender: (typeof genders)[number];
  phone: string;
  email: string;
  street_address: string;
  postal_code: string;
  post_office: string;
  home_municipality: string;
  language: (typeof serviceLanguages)[number];
  mother_tongue: string;
  nationality: string;
  profession: string;
  education_level: (typeof educationLevels)[number];
  referrer: (typeof referrers)[number];
  iban: string;
  trade_union: string;
}

export const textFields = [
  'first_names',
  'last_name',
  'personal_identity_code',
  'birth_date',
  'phone',
  'email',
  'street_address',
  'postal_code',
  'post_office',
  'home_municipality',
  'mother_tongue',
  'nationality',
  'profession',
  'iban',
  'trade_union',
] as const;

export const formFields: readonly (keyof ClientFormValues)[] = [
  'unit_id',
  ...textFields,
  'gender',
  'language',
  'education_level',
  'referrer',
];

export function emptyValues(unitId: string): ClientFormValues {
  return {
    unit_id: unitId,
    first_names: '',
    last_name: '',
    personal_identity_code: '',
    birth_date: '',
    gender: 'unknown',
    phone: '',
    email: '',
    street_address: '',
    postal_code: '',
    post_office: '',
    home_municipality: '',
    language: 'fi',
    mother_tongue: '',
    nationality: '',
    profession: '',
    education_level: 'unknown',
    referrer: 'unknown',
    iban: '',
    trade_union: '',
  };
}

/** A client as the form shows it. Masked values (identity code, IBAN) are left empty: typing replaces them. */
export function valuesFromClient(client: Client): ClientFormValues {
  return {
    unit_id: client.unit_id,
    first_names: client.first_names,
    last_name: client.last_name,
    personal_identity_code: '',
    birth_date: client.birth_date ?? '',
    gender: client.gender,
    phone: client.phone ?? '',
    email: client.email ?? '',
    street_address: client.street_address ?? '',
    postal_code: client.postal_code ?? '',
    post_office: client.post_office ?? '',
    home_municipality: client.home_municipality ?? '',
    language: client.language,
    mother_tongue: client.mother_tongue === 'unknown' ? '' : client.mother_tongue,
    nationality: client.nationality === 'unknown' ? '' : client.nationality,
    profession: client.profession ?? '',
    education_level: client.education_level,
    referrer: client.referrer,
    iban: '',
    trade_union: client.trade_union ?? '',
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function createRequest(values: ClientFormValues, canSensitive: boolean): CreateClientRequest {
  const code = orNull(values.personal_identity_code);
  return {
    unit_id: values.unit_id,
    first_names: values.first_names.trim(),
    last_name: values.last_name.trim(),
    personal_identity_code: code?.toUpperCase() ?? null,
    // The server derives the date of birth from the identity code.
    birth_date: code ? null : orNull(values.birth_date),
    gender: values.gender,
    phone: orNull(values.phone),
    email: orNull(values.email),
    street_address: orNull(values.street_address),
    postal_code: orNull(values.postal_code),
    post_office: orNull(values.post_office),
    home_municipality: orNull(values.home_municipality),
    language: values.language,
    mother_tongue: orNull(values.mother_tongue),
    nationality: orNull(values.nationality)?.toUpperCase() ?? null,
    profession: orNull(values.profession),
    education_level: values.education_level,
    referrer: values.referrer,
    iban: orNull(values.iban),
    ...(canSensitive ? { trade_union: orNull(values.trade_union) } : {}),
  };
}

/**
 * Only what the user changed, so a save never overwrites fields they did not touch. An empty
 * identity code or IBAN field means "keep the stored one" (it is shown masked).
 */
export function updateRequest(
  base: ClientFormValues,
  values: ClientFormValues,
  reason: string,
  canSensitive: boolean,
): UpdateClientRequest {
  const request: Record<string, unknown> = {};
  for (const field of formFields) {
    if (field === 'trade_union' && !canSensitive) continue;
    if (values[field] === base[field]) continue;
    if (field === 'personal_identity_code' || field === 'iban') {
      if (values[field].trim()) request[field] = values[field].trim();
      continue;
    }
    request[field] = textFields.includes(field as (typeof textFields)[number]) ? orNull(values[field]) : values[field];
  }
  if (Object.keys(request).length > 0 && reason.trim()) request.reason = reason.trim();
  return request;
}
