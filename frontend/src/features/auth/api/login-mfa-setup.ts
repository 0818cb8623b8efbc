import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type MfaSetup = components['schemas']['MfaSetupResponse'];

export async function loginMfaSetup(mfaToken: string): Promise<MfaSetup> {
  return unwrap(await apiClient.POST('/api/v1/auth/login/mfa-setup', { body: { mfa_token: mfaToken } }));
}

export const useLoginMfaSetup = () => useMutation({ mutationFn: loginMfaSetup });
