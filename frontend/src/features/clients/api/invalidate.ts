import type { QueryClient } from '@tanstack/react-query';

import { clientKey } from './get-client';
import { changesQueryOptions } from './list-changes';
import { searchClientsKey } from './search-clients';

/** Everything a client changed, closed or reopened changes. */
export function invalidateClient(queryClient: QueryClient, id: string) {
  void queryClient.invalidateQueries({ queryKey: clientKey(id) });
  void queryClient.invalidateQueries({ queryKey: changesQueryOptions(id).queryKey });
  void queryClient.invalidateQueries({ queryKey: searchClientsKey });
}
