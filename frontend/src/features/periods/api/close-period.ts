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
    // The home page's lists and the attendance feature's, read by other features.
    void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/periods') });
    void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/periods/attention') });
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
