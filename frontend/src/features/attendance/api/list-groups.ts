import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The start of every group list's key (archived or not; the home page's too). */
export const groupsKey = apiKey('get', '/api/v1/attendance-groups');

/** The attendance groups of the units the user works in, by name. */
export const groupsQueryOptions = (archived = false) =>
  queryOptions({
    queryKey: [...groupsKey, { archived }],
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/attendance-groups', { params: { query: { archived } }, signal })),
  });

export const useGroups = (archived = false) => useQuery(groupsQueryOptions(archived));
