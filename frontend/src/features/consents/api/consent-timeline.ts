import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const consentTimelineQueryOptions = (id: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/clients/{id}/consents/timeline', id),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/clients/{id}/consents/timeline', { params: { path: { id } }, signal })),
  });

export const useConsentTimeline = (id: string, enabled: boolean) =>
  useQuery({ ...consentTimelineQueryOptions(id), enabled });
