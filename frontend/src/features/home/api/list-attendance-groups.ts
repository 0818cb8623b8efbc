import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The attendance groups of the units the user works in, whose day sheets the home page links to. */
export const attendanceGroupsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/attendance-groups', { archived: false }),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/attendance-groups', { params: { query: { archived: false } }, signal })),
  });

export const useAttendanceGroups = (enabled: boolean) => useQuery({ ...attendanceGroupsQueryOptions(), enabled });
