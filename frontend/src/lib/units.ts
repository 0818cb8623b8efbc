import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';

import { apiClient } from './api-client';
import { unwrap } from './problem';
import { apiKey } from './query-keys';

export type Unit = components['schemas']['UnitResponse'];

/** The organisation's units (the first 200), which several features choose from. */
export const unitsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/units'),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/units', { params: { query: { limit: 200 } }, signal })),
    staleTime: 10 * 60_000,
  });

export const useUnits = () => useQuery(unitsQueryOptions());
