import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

import { periodPageQueryOptions } from './get-period-page';

export type Instrument = components['schemas']['InstrumentResponse'];
export type AssessmentChart = components['schemas']['AssessmentChart'];
export type CreateAssessmentRequest = components['schemas']['CreateAssessmentRequest'];

export const instrumentsQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/assessment-instruments'),
    queryFn: async ({ signal }) => unwrap(await apiClient.GET('/api/v1/assessment-instruments', { signal })),
    staleTime: 30 * 60_000,
  });

export const useInstruments = () => useQuery(instrumentsQueryOptions());

/** The start of the keys of a period's assessment charts, every instrument's. */
export const assessmentChartsKey = (periodId: string) => apiKey('get', '/api/v1/periods/{period_id}/assessments/chart', periodId);

/** A period's scores on one instrument over time: one line per criterion. */
export const assessmentChartQueryOptions = (periodId: string, instrumentId: string) =>
  queryOptions({
    queryKey: [...assessmentChartsKey(periodId), instrumentId],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/assessments/chart', {
          params: { path: { period_id: periodId }, query: { instrument_id: instrumentId } },
          signal,
        }),
      ),
  });

export const useAssessmentChart = (periodId: string, instrumentId: string) =>
  useQuery({ ...assessmentChartQueryOptions(periodId, instrumentId), enabled: instrumentId !== '' });

export function useCreateAssessment(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateAssessmentRequest) =>
      unwrap(
        await apiClient.POST('/api/v1/periods/{period_id}/assessments', { params: { path: { period_id: periodId } }, body }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: assessmentChartsKey(periodId) });
      void queryClient.invalidateQueries({ queryKey: periodPageQueryOptions(periodId).queryKey });
    },
  });
}
