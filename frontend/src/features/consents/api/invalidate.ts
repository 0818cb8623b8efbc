import type { QueryClient } from '@tanstack/react-query';

import { apiKey } from '@/lib/query-keys';

import { consentTimelineQueryOptions } from './consent-timeline';
import { consentsQueryOptions } from './list-consents';

/** Everything a consent given or withdrawn changes. */
export function invalidateConsents(queryClient: QueryClient, clientId: string) {
  void queryClient.invalidateQueries({ queryKey: consentsQueryOptions(clientId).queryKey });
  void queryClient.invalidateQueries({ queryKey: consentTimelineQueryOptions(clientId).queryKey });
  // The home page's lists, read by another feature.
  void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/consents/missing-processing') });
  void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/consents/expiring') });
}
