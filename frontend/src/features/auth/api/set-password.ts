import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type SetPasswordRequest = components['schemas']['SetPasswordRequest'];

/** Sets the first (or a reset) password with the token of a one-time link. */
export async function setPassword(body: SetPasswordRequest): Promise<void> {
  unwrap(await apiClient.POST('/api/v1/auth/password/set', { body }));
}

export const useSetPassword = () => useMutation({ mutationFn: setPassword });
