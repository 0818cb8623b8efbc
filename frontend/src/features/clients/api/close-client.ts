import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { invalidateClient } from './invalidate';

export async function closeClient({ id, version, closedOn, reason }: { id: string; version: number; closedOn: string; reason: string }) {
  return unwrap(
    await apiClient.POST('/api/v1/clients/{id}/close', {
      params: { path: { id }, header: { 'If-Match': `"${version}"` } },
      body: { closed_on: closedOn, reason },
    }),
  );
}

export async function reopenClient({ id, version, reason }: { id: string; version: number; reason: string }) {
  return unwrap(
    await apiClient.POST('/api/v1/clients/{id}/reopen', {
      params: { path: { id }, header: { 'If-Match': `"${version}"` } },
      body: reason ? { reason } : {},
    }),
  );
}

export function useCloseClient() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: closeClient, onSuccess: (client) => { invalidateClient(queryClient, client.id); } });
}

export function useReopenClient() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: reopenClient, onSuccess: (client) => { invalidateClient(queryClient, client.id); } });
}
