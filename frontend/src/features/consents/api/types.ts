import type { components } from '@/api/schema';

export type Consent = components['schemas']['ConsentResponse'];
export type ConsentEvent = components['schemas']['ConsentEvent'];
export type GiveConsentRequest = components['schemas']['GiveConsentRequest'];
export type WithdrawConsentRequest = components['schemas']['WithdrawConsentRequest'];
export type ConsentKind = components['schemas']['ConsentKind'];
export type GivenHow = components['schemas']['GivenHow'];
export type DataCategory = components['schemas']['DataCategory'];
export type DisclosureRequest = components['schemas']['DisclosureRequest'];
export type DisclosureLogEntry = components['schemas']['DisclosureLogEntry'];
