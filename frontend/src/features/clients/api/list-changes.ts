import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const changesQueryOptions = (id: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/clients/{id}/changes', id),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/clients/{id}/changes', { params: { path: { id } }, signal })),
  });

export const useChanges = (id: string, enabled: boolean) => useQuery({ ...changesQueryOptions(id), enabled });
