import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { periodPageQueryOptions } from './get-period-page';

export function useCreateGoal(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateGoalRequest']) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/goals', { params: { path: { period_id: periodId } }, body }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
    },
  });
}
