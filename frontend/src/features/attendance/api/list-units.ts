import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export const unitsQueryOptions = () =>
  queryOptions({
    queryKey: ['get', '/api/v1/units'],
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/units', { params: { query: { limit: 200 } }, signal })),
    staleTime: 10 * 60_000,
  });

export const useUnits = () => useQuery(unitsQueryOptions());
