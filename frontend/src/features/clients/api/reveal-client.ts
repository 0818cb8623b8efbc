import { useMutation } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type RevealField = 'personal_identity_code' | 'iban';

/**
 * Reads the client with one field unmasked. The server logs it as a `reveal` event, so it is a
 * deliberate action (a mutation), never cached or prefetched.
 */
export async function revealClientField(id: string, field: RevealField) {
  const client = unwrap(
    await apiClient.GET('/api/v1/clients/{id}', { params: { path: { id }, query: { reveal: field } } }),
  );
  return client[field] ?? null;
}

export const useRevealClientField = (id: string) =>
  useMutation({ mutationFn: (field: RevealField) => revealClientField(id, field) });
