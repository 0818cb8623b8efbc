import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export const groupQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/attendance-groups/{group_id}', groupId),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/attendance-groups/{group_id}', { params: { path: { group_id: groupId } }, signal }),
      ),
  });

export const useGroup = (groupId: string) => useQuery(groupQueryOptions(groupId));
