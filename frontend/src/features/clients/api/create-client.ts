import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { searchClientsKey } from './search-clients';
import type { CreateClientRequest } from './types';

export async function createClient(body: CreateClientRequest) {
  return unwrap(await apiClient.POST('/api/v1/clients', { body }));
}

export function useCreateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createClient,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: searchClientsKey });
      // The home page's list of clients without consent, read by another feature.
      void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/consents/missing-processing') });
    },
  });
}
