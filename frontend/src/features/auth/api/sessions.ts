import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type UserSession = components['schemas']['SessionResponse'];

export const sessionsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/auth/sessions'),
    queryFn: async ({ signal }) => unwrap(await apiClient.GET('/api/v1/auth/sessions', { signal })),
  });

export const useSessions = () => useQuery(sessionsQueryOptions());

export async function endSession(id: string): Promise<void> {
  unwrap(await apiClient.POST('/api/v1/auth/sessions/{id}/end', { params: { path: { id } } }));
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endSession,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/auth/sessions') }),
  });
}
