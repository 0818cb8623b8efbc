import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The start of the keys of a unit's or group's day sheets, every day's. */
export const daySheetsKey = (sheetId: string) => apiKey('get', '/api/v1/attendance/{sheet_id}/{date}', sheetId);

/** A unit's or group's day: everyone whose period runs that day, the scheduled first. */
export const daySheetQueryOptions = (sheetId: string, date: string) =>
  queryOptions({
    queryKey: [...daySheetsKey(sheetId), date],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/attendance/{sheet_id}/{date}', {
          params: { path: { sheet_id: sheetId, date } },
          signal,
        }),
      ),
    // The sheet is being edited: a background refetch must not move rows under the user.
    refetchOnWindowFocus: false,
  });

export const useDaySheet = (sheetId: string, date: string) => useQuery(daySheetQueryOptions(sheetId, date));
