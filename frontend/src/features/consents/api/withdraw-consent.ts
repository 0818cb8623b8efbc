import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { invalidateConsents } from './invalidate';
import type { WithdrawConsentRequest } from './types';

export async function withdrawConsent(id: string, consentId: string, body: WithdrawConsentRequest) {
  return unwrap(
    await apiClient.POST('/api/v1/clients/{id}/consents/{consent_id}/withdraw', {
      params: { path: { id, consent_id: consentId } },
      body,
    }),
  );
}

export function useWithdrawConsent(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ consentId, body }: { consentId: string; body: WithdrawConsentRequest }) =>
      withdrawConsent(clientId, consentId, body),
    onSuccess: () => {
      invalidateConsents(queryClient, clientId);
    },
  });
}
