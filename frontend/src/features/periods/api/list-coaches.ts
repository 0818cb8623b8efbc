import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { useCan } from '@/lib/me';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The active coaches of a unit (the first 200), for choosing a period's responsible coach. */
export const unitCoachesQueryOptions = (unitId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/admin/users', { role: 'coach', status: 'active', unit_id: unitId }),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/admin/users', {
          params: { query: { role: 'coach', status: 'active', unit_id: unitId, limit: 200 } },
          signal,
        }),
      ),
    staleTime: 5 * 60_000,
  });

/**
 * A unit's coaches, for those who may list the staff (a manager, an admin); others choose
 * between themselves, the current coach and none.
 */
export function useUnitCoaches(unitId: string) {
  const canList = useCan('users_manage', 'client_access_grant');
  return useQuery({ ...unitCoachesQueryOptions(unitId), enabled: canList });
}
