import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type MfaTicketConfirmRequest = components['schemas']['MfaTicketConfirmRequest'];
export type MfaEnabled = components['schemas']['MfaEnabledResponse'];

export async function loginMfaConfirm(body: MfaTicketConfirmRequest): Promise<MfaEnabled> {
  return unwrap(await apiClient.POST('/api/v1/auth/login/mfa-confirm', { body }));
}

export const useLoginMfaConfirm = () => useMutation({ mutationFn: loginMfaConfirm });
