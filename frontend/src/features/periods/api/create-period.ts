import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { clientPeriodsQueryOptions } from './list-client-periods';
import type { CreatePeriodRequest } from './types';

export function useCreatePeriod(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreatePeriodRequest) =>
      unwrap(await apiClient.POST('/api/v1/clients/{id}/periods', { params: { path: { id: clientId } }, body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: clientPeriodsQueryOptions(clientId).queryKey });
      // Every period list (the home page's, the attendance feature's), read by other features.
      void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/periods') });
    },
  });
}
