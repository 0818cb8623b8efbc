import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

/** The printable consent form (HTML from the server, which logs the printing). */
export async function fetchConsentForm(id: string, ids?: string[]): Promise<string> {
  return unwrap(
    await apiClient.GET('/api/v1/clients/{id}/consents/form', {
      params: { path: { id }, query: ids ? { ids: ids.join(',') } : {} },
      parseAs: 'text',
    }),
  );
}
