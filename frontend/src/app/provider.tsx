import 'dayjs/locale/fi';
import 'dayjs/locale/sv';

import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { cssVariablesResolver, theme } from './theme';

interface AppProviderProps {
  queryClient: QueryClient;
  children: ReactNode;
}

/** Calendars in the UI language (dayjs locales fi, sv, en), weeks from Monday as in Finland. */
function LocalisedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.resolvedLanguage ?? 'fi', firstDayOfWeek: 1, weekendDays: [0, 6] }}>
      {children}
    </DatesProvider>
  );
}

/** Everything the app needs around it, shared by the app and the tests. */
export function AppProvider({ queryClient, children }: AppProviderProps) {
  return (
    // Light scheme only for now; no ColorSchemeScript, which would be an inline script (CSP).
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <LocalisedDates>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </LocalisedDates>
    </MantineProvider>
  );
}
