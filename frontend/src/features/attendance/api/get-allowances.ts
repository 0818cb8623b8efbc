import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import type { AllowanceReport } from './types';

/** The start of every allowance report's key (any month, any unit). */
export const allowancesKey = apiKey('get', '/api/v1/allowances');

/** The month's expense allowance report of KTT periods, a unit's or (no unit) the organisation's. */
export const allowancesQueryOptions = (month: string, unitId: string | null) =>
  queryOptions({
    queryKey: [...allowancesKey, { month, unit_id: unitId }],
    queryFn: async ({ signal }): Promise<AllowanceReport> => {
      const report = unwrap(
        await apiClient.GET('/api/v1/allowances', {
          params: { query: { month, ...(unitId ? { unit_id: unitId } : {}), format: 'json' } },
          signal,
        }),
      );
      // The operation answers CSV too; asked for JSON, a string would be a server fault.
      if (typeof report === 'string') throw new Error('The allowance report came as text, not JSON.');
      return report;
    },
  });

export const useAllowances = (month: string, unitId: string | null) =>
  useQuery({ ...allowancesQueryOptions(month, unitId), enabled: /^\d{4}-\d{2}$/.test(month) });

/** The same report as CSV, fetched with the user's token (logged as an export) for saving. */
export async function fetchAllowancesCsv(month: string, unitId: string | null): Promise<Blob> {
  return unwrap(
    await apiClient.GET('/api/v1/allowances', {
      params: { query: { month, ...(unitId ? { unit_id: unitId } : {}), format: 'csv' } },
      parseAs: 'blob',
    }),
  );
}
