import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const reportsQueryOptions = (periodId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods/{period_id}/reports', periodId),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/reports', { params: { path: { period_id: periodId } }, signal }),
      ),
  });

export const useReports = (periodId: string) => useQuery(reportsQueryOptions(periodId));
