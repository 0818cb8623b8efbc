import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

import { allowancesKey } from './get-allowances';
import { clientCalendarsKey, periodCalendarsKey } from './get-calendar';
import { daySheetQueryOptions } from './get-day-sheet';
import type { DayRequest, DaySheet } from './types';

/**
 * Saves a whole day in one request (all marks or none). The answer holds the rows sent, with
 * their week's warnings; they replace those rows in the cached sheet.
 */
export function useSaveDay(sheetId: string, date: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DayRequest) =>
      unwrap(
        await apiClient.PUT('/api/v1/attendance/{sheet_id}/{date}', {
          params: { path: { sheet_id: sheetId, date } },
          body,
        }),
      ),
    onSuccess: (saved) => {
      const byPeriod = new Map(saved.rows.map((row) => [row.period_id, row]));
      queryClient.setQueryData(daySheetQueryOptions(sheetId, date).queryKey, (sheet: DaySheet | undefined) =>
        sheet ? { ...sheet, rows: sheet.rows.map((row) => byPeriod.get(row.period_id) ?? row) } : sheet,
      );
      // Calendars, regularity and allowances read these records.
      void queryClient.invalidateQueries({ queryKey: periodCalendarsKey });
      void queryClient.invalidateQueries({ queryKey: clientCalendarsKey });
      void queryClient.invalidateQueries({ queryKey: allowancesKey });
    },
  });
}
