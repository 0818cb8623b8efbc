import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

/** The attendance groups of the units the user works in, by name. */
export const groupsQueryOptions = (archived = false) =>
  queryOptions({
    queryKey: ['get', '/api/v1/attendance-groups', { archived }],
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/attendance-groups', { params: { query: { archived } }, signal })),
  });

export const useGroups = (archived = false) => useQuery(groupsQueryOptions(archived));
