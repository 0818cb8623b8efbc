import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { invalidateClient } from './invalidate';
import type { UpdateClientRequest } from './types';

/** Changes a client; `version` is the version the user started from (a stale one gets 412). */
export async function updateClient({ id, version, body }: { id: string; version: number; body: UpdateClientRequest }) {
  return unwrap(
    await apiClient.PATCH('/api/v1/clients/{id}', {
      params: { path: { id }, header: { 'If-Match': `"${version}"` } },
      body,
    }),
  );
}

export function useUpdateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateClient,
    onSuccess: (client) => {
      invalidateClient(queryClient, client.id);
    },
  });
}
