import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { useInvalidatePeriod } from './close-period';

export type UpdatePeriodRequest = components['schemas']['UpdatePeriodRequest'];

/** Corrects a period (`If-Match`); the answer carries the schedule's rule warnings. */
export function useUpdatePeriod(periodId: string) {
  const invalidate = useInvalidatePeriod(periodId);
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: UpdatePeriodRequest }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/periods/{period_id}', {
          params: { path: { period_id: periodId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: (period) => {
      invalidate(period.client_id);
    },
  });
}
