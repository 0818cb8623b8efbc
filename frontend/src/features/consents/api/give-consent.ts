import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { invalidateConsents } from './invalidate';
import type { GiveConsentRequest } from './types';

export async function giveConsent(id: string, body: GiveConsentRequest) {
  return unwrap(await apiClient.POST('/api/v1/clients/{id}/consents', { params: { path: { id } }, body }));
}

export function useGiveConsent(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GiveConsentRequest) => giveConsent(clientId, body),
    onSuccess: () => {
      invalidateConsents(queryClient, clientId);
    },
  });
}
