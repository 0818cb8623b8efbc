import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type ExpiringConsent = components['schemas']['ExpiringConsent'];

export const expiringConsentsQueryOptions = (days = 30) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/consents/expiring', { days }),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/consents/expiring', { params: { query: { days, limit: 50 } }, signal })),
  });

export const useExpiringConsents = (enabled: boolean) => useQuery({ ...expiringConsentsQueryOptions(), enabled });
