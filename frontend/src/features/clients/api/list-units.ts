import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const unitsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/units'),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/units', { params: { query: { limit: 200 } }, signal })),
    staleTime: 10 * 60_000,
  });

export const useUnits = () => useQuery(unitsQueryOptions());
