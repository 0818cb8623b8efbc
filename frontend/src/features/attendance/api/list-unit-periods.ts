import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** A unit's ongoing periods (the first 200), to choose a group's members from. */
export const unitPeriodsQueryOptions = (unitId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods', { unit_id: unitId, active: true }),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods', { params: { query: { unit_id: unitId, active: true, limit: 200 } }, signal }),
      ),
  });

export const useUnitPeriods = (unitId: string) => useQuery({ ...unitPeriodsQueryOptions(unitId), enabled: unitId !== '' });
