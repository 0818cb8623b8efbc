import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** Regularity of a unit's periods in a month, per period (by client name) and in total. */
export const unitRegularityQueryOptions = (unitId: string, month: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/units/{unit_id}/regularity', unitId, month),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/units/{unit_id}/regularity', {
          params: { path: { unit_id: unitId }, query: { month } },
          signal,
        }),
      ),
  });

export const useUnitRegularity = (unitId: string, month: string) =>
  useQuery({ ...unitRegularityQueryOptions(unitId, month), enabled: unitId !== '' });
