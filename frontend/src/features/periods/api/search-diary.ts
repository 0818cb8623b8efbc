import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export interface DiarySearch {
  q?: string;
  from?: string;
  to?: string;
}

/** The start of the keys of a period's diary searches, whatever was searched. */
export const diarySearchesKey = (periodId: string) => apiKey('get', '/api/v1/periods/{period_id}/diary', periodId);

/** A period's diary searched on the server (the text and a date range), newest first, a page at a time. */
export const searchDiaryQueryOptions = (periodId: string, search: DiarySearch) =>
  infiniteQueryOptions({
    queryKey: [...diarySearchesKey(periodId), search],
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/diary', {
          params: { path: { period_id: periodId }, query: { ...search, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? null,
  });

export const useSearchDiary = (periodId: string, search: DiarySearch, enabled: boolean) =>
  useInfiniteQuery({ ...searchDiaryQueryOptions(periodId, search), enabled, placeholderData: keepPreviousData });
