import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The whole period page (period, goals with follow-ups, diary, assessments) in one request. */
export const periodPageQueryOptions = (periodId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods/{period_id}/page', periodId),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/page', { params: { path: { period_id: periodId } }, signal }),
      ),
  });

export const usePeriodPage = (periodId: string) => useQuery(periodPageQueryOptions(periodId));
