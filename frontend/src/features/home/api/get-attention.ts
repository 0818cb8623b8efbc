import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type AttentionItem = components['schemas']['AttentionItem'];

export const attentionQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods/attention'),
    queryFn: async ({ signal }) => unwrap(await apiClient.GET('/api/v1/periods/attention', { signal })),
  });

export const useAttention = (enabled: boolean) => useQuery({ ...attentionQueryOptions(), enabled });
