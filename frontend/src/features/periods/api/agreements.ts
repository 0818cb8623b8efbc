import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

export type Agreement = components['schemas']['AgreementResponse'];
export type CreateAgreementRequest = components['schemas']['CreateAgreementRequest'];
export type UpdateAgreementRequest = components['schemas']['UpdateAgreementRequest'];

export const agreementsQueryOptions = (periodId: string) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/periods/{period_id}/agreements', periodId),
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/agreements', { params: { path: { period_id: periodId } }, signal }),
      ),
  });

export const useAgreements = (periodId: string) => useQuery(agreementsQueryOptions(periodId));

export function useCreateAgreement(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateAgreementRequest) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/agreements', { params: { path: { period_id: periodId } }, body }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: agreementsQueryOptions(periodId).queryKey });
    },
  });
}

/** Changes a draft, signs it (`state: signed` with `signed_on`) or ends a signed one (`If-Match`). */
export function useUpdateAgreement(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ agreementId, version, body }: { agreementId: string; version: number; body: UpdateAgreementRequest }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/periods/{period_id}/agreements/{agreement_id}', {
          params: { path: { period_id: periodId, agreement_id: agreementId }, header: { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: agreementsQueryOptions(periodId).queryKey });
    },
  });
}

/** The agreement's print view (HTML from the server, in the client's language of service). */
export async function fetchAgreementPrint(periodId: string, agreementId: string): Promise<string> {
  return unwrap(
    await apiClient.GET('/api/v1/periods/{period_id}/agreements/{agreement_id}/print', {
      params: { path: { period_id: periodId, agreement_id: agreementId } },
      parseAs: 'text',
    }),
  );
}
