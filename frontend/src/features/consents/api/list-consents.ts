import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const consentsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/clients/{id}/consents', id),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/clients/{id}/consents', { params: { path: { id } }, signal })),
  });

export const useConsents = (id: string) => useQuery(consentsQueryOptions(id));
