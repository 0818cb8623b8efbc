import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { periodPageQueryOptions } from './get-period-page';

export type UpdateGoalRequest = components['schemas']['UpdateGoalRequest'];
export type CreateFollowUpRequest = components['schemas']['CreateFollowUpRequest'];

/** Changes a goal (its status) with `If-Match`. */
export function useUpdateGoal(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ goalId, version, body }: { goalId: string; version: number; body: UpdateGoalRequest }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/periods/{period_id}/goals/{goal_id}', {
          params: { path: { period_id: periodId, goal_id: goalId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
    },
  });
}

/** Adds a dated follow-up note to a goal. */
export function useCreateFollowUp(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ goalId, body }: { goalId: string; body: CreateFollowUpRequest }) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/goals/{goal_id}/follow-ups', {
          params: { path: { period_id: periodId, goal_id: goalId } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
    },
  });
}
