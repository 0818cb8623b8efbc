import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { periodPageQueryOptions } from './get-period-page';
import { clientPeriodsQueryOptions } from './list-client-periods';

export type ClosePeriodRequest = components['schemas']['ClosePeriodRequest'];

/** Everything that shows a period: its page, its client's list, and other features' period lists. */
export function useInvalidatePeriod(periodId: string) {
  const queryClient = useQueryClient();
  return (clientId: string) => {
    void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
    void queryClient.invalidateQueries({ queryKey: clientPeriodsQueryOptions(clientId).queryKey });
    // What other features read of periods: the home page's lists, and the planned days of the
    // attendance calendars, day sheets, regularity and allowances (the schedule and end decide them).
    for (const key of [
      apiKey('get', '/api/v1/periods'),
      apiKey('get', '/api/v1/periods/attention'),
      apiKey('get', '/api/v1/periods/{period_id}/attendance'),
      apiKey('get', '/api/v1/periods/{period_id}/regularity'),
      apiKey('get', '/api/v1/clients/{id}/attendance'),
      apiKey('get', '/api/v1/clients/{id}/regularity'),
      apiKey('get', '/api/v1/units/{unit_id}/regularity'),
      apiKey('get', '/api/v1/attendance/{sheet_id}/{date}'),
      apiKey('get', '/api/v1/allowances'),
    ]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
}

/** Ends a period with its outcome and closing note (`If-Match`). */
export function useClosePeriod(periodId: string) {
  const invalidate = useInvalidatePeriod(periodId);
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: ClosePeriodRequest }) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/close', {
          params: { path: { period_id: periodId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: (period) => {
      invalidate(period.client_id);
    },
  });
}
