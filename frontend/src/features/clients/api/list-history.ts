import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import type { CreateHistoryEntryRequest, UpdateHistoryEntryRequest } from './types';

export const historyQueryOptions = (id: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/clients/{id}/history', id),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/clients/{id}/history', { params: { path: { id } }, signal })),
  });

export const useHistory = (id: string) => useQuery(historyQueryOptions(id));

export function useCreateHistoryEntry(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateHistoryEntryRequest) =>
      unwrap(await apiClient.POST('/api/v1/clients/{id}/history', { params: { path: { id } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: historyQueryOptions(id).queryKey });
    },
  });
}

/** Corrects a background entry (`If-Match`); the server keeps the previous values and the reason. */
export function useCorrectHistoryEntry(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ entryId, version, body }: { entryId: string; version: number; body: UpdateHistoryEntryRequest }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/clients/{id}/history/{entry_id}', {
          params: { path: { id, entry_id: entryId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: historyQueryOptions(id).queryKey });
      void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/clients/{id}/changes', id) });
    },
  });
}
