import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { periodPageQueryOptions } from './get-period-page';
import { diarySearchesKey } from './search-diary';

export function useCreateDiaryEntry(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateDiaryEntryRequest']) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/diary', { params: { path: { period_id: periodId } }, body }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
      void queryClient.invalidateQueries({ queryKey: diarySearchesKey(periodId) });
    },
  });
}
