import type { QueryClient } from '@tanstack/react-query';

/** Everything a consent given or withdrawn changes. */
export function invalidateConsents(queryClient: QueryClient, clientId: string) {
  void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/clients/{id}/consents', clientId] });
  void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/clients/{id}/consents/timeline', clientId] });
  void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/consents/missing-processing'] });
  void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/consents/expiring'] });
}
