import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type MfaSetup = components['schemas']['MfaSetupResponse'];
export type MfaEnabled = components['schemas']['MfaEnabledResponse'];

/** Starts enrolling an authenticator app for the signed-in user: a new secret. */
export async function mfaSetup(): Promise<MfaSetup> {
  return unwrap(await apiClient.POST('/api/v1/auth/mfa/setup'));
}

export async function mfaConfirm(code: string): Promise<MfaEnabled> {
  return unwrap(await apiClient.POST('/api/v1/auth/mfa/confirm', { body: { code } }));
}

export async function mfaDisable(currentPassword: string): Promise<void> {
  unwrap(await apiClient.POST('/api/v1/auth/mfa/disable', { body: { current_password: currentPassword } }));
}

export const useMfaSetup = () => useMutation({ mutationFn: mfaSetup });

/** Confirming changes `mfa_enabled` of /auth/me; the caller refreshes it once the codes are saved. */
export const useMfaConfirm = () => useMutation({ mutationFn: mfaConfirm });

export function useMfaDisable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: mfaDisable,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/auth/me') }),
  });
}
