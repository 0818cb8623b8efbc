import { MantineProvider } from '@mantine/core';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { cssVariablesResolver, theme } from './theme';

interface AppProviderProps {
  queryClient: QueryClient;
  children: ReactNode;
}

/** Everything the app needs around it, shared by the app and the tests. */
export function AppProvider({ queryClient, children }: AppProviderProps) {
  return (
    // Light scheme only for now; no ColorSchemeScript, which would be an inline script (CSP).
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
