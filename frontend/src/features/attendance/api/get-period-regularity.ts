import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** A period's regularity over a range (its whole course): planned and present days, absences by reason. */
export const periodRegularityQueryOptions = (periodId: string, from: string, to: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods/{period_id}/regularity', periodId, { from, to }),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/regularity', {
          params: { path: { period_id: periodId }, query: { from, to } },
          signal,
        }),
      ),
  });

export const usePeriodRegularity = (periodId: string, from: string, to: string) =>
  useQuery(periodRegularityQueryOptions(periodId, from, to));
