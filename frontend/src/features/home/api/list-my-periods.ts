import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type PeriodListItem = components['schemas']['PeriodListItem'];

export const myPeriodsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods', { mine: true }),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/periods', { params: { query: { mine: true, limit: 100 } }, signal })),
  });

export const useMyPeriods = (enabled: boolean) => useQuery({ ...myPeriodsQueryOptions(), enabled });
