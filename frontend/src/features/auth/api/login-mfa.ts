import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type MfaLoginRequest = components['schemas']['MfaLoginRequest'];

export async function loginMfa(body: MfaLoginRequest) {
  return unwrap(await apiClient.POST('/api/v1/auth/login/mfa', { body }));
}

export const useLoginMfa = () => useMutation({ mutationFn: loginMfa });
