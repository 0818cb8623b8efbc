import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { daySheetsKey } from './get-day-sheet';
import { groupQueryOptions } from './get-group';
import { groupsKey } from './list-groups';
import type { UpdateGroupRequest } from './types';

/** Renames a group, adds or removes members, archives or restores it (`If-Match` on its version). */
export function useUpdateGroup(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, ...body }: UpdateGroupRequest & { version: number }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/attendance-groups/{group_id}', {
          params: { path: { group_id: groupId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: (group) => {
      queryClient.setQueryData(groupQueryOptions(groupId).queryKey, group);
      void queryClient.invalidateQueries({ queryKey: groupsKey });
      void queryClient.invalidateQueries({ queryKey: daySheetsKey(groupId) });
    },
    onError: () => {
      // A 412 means someone else changed it: show the group as it is now.
      void queryClient.invalidateQueries({ queryKey: groupQueryOptions(groupId).queryKey });
    },
  });
}
