import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { disclosuresQueryOptions } from './list-disclosures';
import type { DisclosureRequest } from './types';

export async function recordDisclosure(id: string, body: DisclosureRequest) {
  return unwrap(await apiClient.POST('/api/v1/clients/{id}/disclosures', { params: { path: { id } }, body }));
}

/** Records a disclosure; the server refuses it (409 `consent-required`) without a written consent or a law. */
export function useRecordDisclosure(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DisclosureRequest) => recordDisclosure(clientId, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: disclosuresQueryOptions(clientId).queryKey });
    },
  });
}
