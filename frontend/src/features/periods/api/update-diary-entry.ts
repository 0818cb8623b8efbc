import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { periodPageQueryOptions } from './get-period-page';
import { diarySearchesKey } from './search-diary';

export type UpdateDiaryEntryRequest = components['schemas']['UpdateDiaryEntryRequest'];

/**
 * Edits a diary entry (`If-Match`): freely by its author within the edit window, otherwise
 * as a correction with a reason, the old text kept in the client's change history.
 */
export function useUpdateDiaryEntry(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ entryId, version, body }: { entryId: string; version: number; body: UpdateDiaryEntryRequest }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/periods/{period_id}/diary/{entry_id}', {
          params: { path: { period_id: periodId, entry_id: entryId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
      void queryClient.invalidateQueries({ queryKey: diarySearchesKey(periodId) });
      // The client's change history shows the correction (read by the clients feature).
      void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/clients/{id}/changes') });
    },
  });
}
