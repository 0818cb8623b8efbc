import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import type { CreateClientRequest } from './types';

export async function createClient(body: CreateClientRequest) {
  return unwrap(await apiClient.POST('/api/v1/clients', { body }));
}

export function useCreateClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createClient,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['post', '/api/v1/clients/search'] });
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/consents/missing-processing'] });
    },
  });
}
