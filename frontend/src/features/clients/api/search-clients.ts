import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';
import { checkIdentityCode } from '@/lib/validation';

import type { SearchClientsRequest } from './types';

const pageSize = 25;

/** Whether the text is a whole, valid identity code (searching by it is a lookup). */
export function isIdentityCode(text: string): boolean {
  const term = text.trim();
  return /^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$/i.test(term) && checkIdentityCode(term) === null;
}

/**
 * What the user typed, as the search body: an identity code, a phone number or an email
 * address is searched exactly; anything else by name. Terms travel in the body of a POST so
 * they stay out of URLs and proxy logs. Searching by identity code is a lookup, a use of
 * the code that needs `clients_lookup` and is logged hit or miss: callers without it never
 * send one (the page says so instead of searching).
 */
export function searchTerms(text: string, status?: 'active' | 'closed'): SearchClientsRequest {
  const term = text.trim();
  const filter: SearchClientsRequest = status ? { status } : {};
  if (!term) return filter;
  if (isIdentityCode(term)) {
    return { ...filter, personal_identity_code: term.toUpperCase() };
  }
  if (term.includes('@')) return { ...filter, email: term };
  if (/^\+?[\d\s()-]{5,}$/.test(term)) return { ...filter, phone: term };
  return { ...filter, q: term };
}

/** The start of every client search's key: a client created or changed may change any of them. */
export const searchClientsKey = apiKey('post', '/api/v1/clients/search');

export const searchClientsQueryOptions = (terms: SearchClientsRequest) =>
  infiniteQueryOptions({
    queryKey: [...searchClientsKey, terms],
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await apiClient.POST('/api/v1/clients/search', {
          body: { ...terms, limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? null,
  });

export const useSearchClients = (terms: SearchClientsRequest, enabled = true) =>
  // The previous results stay on screen while the next keystroke's arrive.
  useInfiniteQuery({ ...searchClientsQueryOptions(terms), placeholderData: keepPreviousData, enabled });
