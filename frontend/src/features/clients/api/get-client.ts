import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The start of the keys of one client's reads (with or without an access reason). */
export const clientKey = (id: string) => apiKey('get', '/api/v1/clients/{id}', id);

export const clientQueryOptions = (id: string, accessReason?: string) =>
  queryOptions({
    queryKey: [...clientKey(id), accessReason ?? null],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/clients/{id}', {
          params: { path: { id }, query: accessReason ? { access_reason: accessReason } : {} },
          signal,
        }),
      ),
  });

export const useClient = (id: string, accessReason?: string) => useQuery(clientQueryOptions(id, accessReason));
