import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import type { CreatePeriodRequest } from './types';

export function useCreatePeriod(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreatePeriodRequest) =>
      unwrap(await apiClient.POST('/api/v1/clients/{id}/periods', { params: { path: { id: clientId } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/clients/{id}/periods', clientId] });
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/periods'] });
    },
  });
}
