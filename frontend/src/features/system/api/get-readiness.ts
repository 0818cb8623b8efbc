import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { apiKey } from '@/lib/query-keys';

/** What the SPA can tell about the server from `GET /readyz`. */
export type Readiness =
  | { state: 'ready'; version: string }
  | { state: 'not-ready' }
  | { state: 'unreachable' };

export async function getReadiness({ signal }: { signal?: AbortSignal } = {}): Promise<Readiness> {
  try {
    const { data, error, response } = await apiClient.GET('/readyz', signal ? { signal } : {});
    if (data) {
      return data.status === 'ready' ? { state: 'ready', version: data.version } : { state: 'not-ready' };
    }
    // The server answers 503 with a problem document while its database is unavailable;
    // anything else (a proxy's 502, an HTML error page) means we did not reach Polku.
    if (response.status === 503 && typeof error === 'object') {
      return { state: 'not-ready' };
    }
    return { state: 'unreachable' };
  } catch (cause) {
    if (signal?.aborted) {
      throw cause;
    }
    // fetch rejects on network failure; a non-JSON 200 body ends up here too.
    return { state: 'unreachable' };
  }
}

export const getReadinessQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/readyz'),
    queryFn: ({ signal }) => getReadiness({ signal }),
    refetchInterval: 10_000,
    staleTime: 0,
  });

export const useReadiness = () => useQuery(getReadinessQueryOptions());
