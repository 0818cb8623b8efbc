import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export const clientQueryOptions = (id: string, accessReason?: string) =>
  queryOptions({
    queryKey: ['get', '/api/v1/clients/{id}', id, accessReason ?? null],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/clients/{id}', {
          params: { path: { id }, query: accessReason ? { access_reason: accessReason } : {} },
          signal,
        }),
      ),
  });

export const useClient = (id: string, accessReason?: string) => useQuery(clientQueryOptions(id, accessReason));
