import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

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

function useInvalidateClient() {
  const queryClient = useQueryClient();
  return (id: string) => {
    void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/clients/{id}', id] });
    void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/clients/{id}/changes', id] });
    void queryClient.invalidateQueries({ queryKey: ['post', '/api/v1/clients/search'] });
  };
}

export function useCloseClient() {
  const invalidate = useInvalidateClient();
  return useMutation({ mutationFn: closeClient, onSuccess: (client) => { invalidate(client.id); } });
}

export function useReopenClient() {
  const invalidate = useInvalidateClient();
  return useMutation({ mutationFn: reopenClient, onSuccess: (client) => { invalidate(client.id); } });
}
