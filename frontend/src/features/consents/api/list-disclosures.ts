import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The client's disclosure log, newest first (reading it is logged on the server). */
export const disclosuresQueryOptions = (id: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/clients/{id}/disclosures', id),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/clients/{id}/disclosures', { params: { path: { id } }, signal })),
  });

export const useDisclosures = (id: string) => useQuery(disclosuresQueryOptions(id));
