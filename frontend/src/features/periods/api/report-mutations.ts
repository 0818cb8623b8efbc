import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { reportsQueryOptions } from './list-reports';
import type { ReportSections } from './types';

function useInvalidateReports(periodId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: reportsQueryOptions(periodId).queryKey });
    // The home page's list of periods needing attention, read by another feature.
    void queryClient.invalidateQueries({ queryKey: apiKey('get', '/api/v1/periods/attention') });
  };
}

export function useCreateReport(periodId: string) {
  const invalidate = useInvalidateReports(periodId);
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateReportRequest']) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/reports', { params: { path: { period_id: periodId } }, body }),
      ),
    onSuccess: invalidate,
  });
}

export function useUpdateReport(periodId: string) {
  const invalidate = useInvalidateReports(periodId);
  return useMutation({
    mutationFn: async ({ reportId, version, sections }: { reportId: string; version: number; sections: ReportSections }) =>
      unwrap(
        await apiClient.PATCH('/api/v1/periods/{period_id}/reports/{report_id}', {
          params: { path: { period_id: periodId, report_id: reportId }, header: { 'If-Match': `"${version}"` } },
          body: { sections },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useFinaliseReport(periodId: string) {
  const invalidate = useInvalidateReports(periodId);
  return useMutation({
    mutationFn: async ({ reportId, version }: { reportId: string; version: number }) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/reports/{report_id}/finalise', {
          params: { path: { period_id: periodId, report_id: reportId }, header: { 'If-Match': `"${version}"` } },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useNewReportVersion(periodId: string) {
  const invalidate = useInvalidateReports(periodId);
  return useMutation({
    mutationFn: async (reportId: string) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/reports/{report_id}/versions', {
          params: { path: { period_id: periodId, report_id: reportId } },
        }),
      ),
    onSuccess: invalidate,
  });
}

/** The report's print view (HTML from the server). */
export async function fetchReportPrint(periodId: string, reportId: string): Promise<string> {
  return unwrap(
    await apiClient.GET('/api/v1/periods/{period_id}/reports/{report_id}/print', {
      params: { path: { period_id: periodId, report_id: reportId } },
      parseAs: 'text',
    }),
  );
}
