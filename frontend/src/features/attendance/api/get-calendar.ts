import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';
import { apiKey } from '@/lib/query-keys';

/** The start of every period calendar's key: a saved day makes them all stale. */
export const periodCalendarsKey = apiKey('get', '/api/v1/periods/{period_id}/attendance');

/** A month of a period's attendance: every day with its record and holidays, and the month's regularity. */
export const periodCalendarQueryOptions = (periodId: string, month: string) =>
  queryOptions({
    queryKey: [...periodCalendarsKey, periodId, month],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/periods/{period_id}/attendance', {
          params: { path: { period_id: periodId }, query: { month } },
          signal,
        }),
      ),
  });

/** The start of every client calendar's key. */
export const clientCalendarsKey = apiKey('get', '/api/v1/clients/{id}/attendance');

/** A month of a client's attendance over all their periods running that month. */
export const clientCalendarQueryOptions = (clientId: string, month: string) =>
  queryOptions({
    queryKey: [...clientCalendarsKey, clientId, month],
    queryFn: async ({ signal }) =>
      unwrap(
        await apiClient.GET('/api/v1/clients/{id}/attendance', {
          params: { path: { id: clientId }, query: { month } },
          signal,
        }),
      ),
  });

export const usePeriodCalendar = (periodId: string, month: string) => useQuery(periodCalendarQueryOptions(periodId, month));
export const useClientCalendar = (clientId: string, month: string) => useQuery(clientCalendarQueryOptions(clientId, month));
