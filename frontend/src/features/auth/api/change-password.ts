import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type ChangePasswordRequest = components['schemas']['ChangePasswordRequest'];

export async function changePassword(body: ChangePasswordRequest): Promise<void> {
  unwrap(await apiClient.POST('/api/v1/auth/password', { body }));
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    // Every other session of the user ended.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/auth/sessions') }),
  });
}
