import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type ClientWithoutConsent = components['schemas']['ClientWithoutConsent'];

export const clientsWithoutConsentQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/consents/missing-processing'),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/consents/missing-processing', { params: { query: { limit: 50 } }, signal })),
  });

export const useClientsWithoutConsent = (enabled: boolean) =>
  useQuery({ ...clientsWithoutConsentQueryOptions(), enabled });
