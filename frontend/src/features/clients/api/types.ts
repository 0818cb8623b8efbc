import type { components } from '@/api/schema';

export type Client = components['schemas']['ClientResponse'];
export type CreateClientRequest = components['schemas']['CreateClientRequest'];
export type UpdateClientRequest = components['schemas']['UpdateClientRequest'];
export type SearchClientsRequest = components['schemas']['SearchClientsRequest'];
export type HistoryEntry = components['schemas']['HistoryEntryResponse'];
export type CreateHistoryEntryRequest = components['schemas']['CreateHistoryEntryRequest'];
export type Change = components['schemas']['ChangeResponse'];
export type UpdateHistoryEntryRequest = components['schemas']['UpdateHistoryEntryRequest'];
