import { QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';

import { AppProvider } from '@/app/provider';
import { createAppRouter } from '@/app/router';

function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
}

/** Renders a component inside the app's providers. */
export function renderWithProviders(ui: ReactElement) {
  return render(<AppProvider queryClient={createTestQueryClient()}>{ui}</AppProvider>);
}

/** Renders the whole app, router included, at `path`. */
export function renderApp(path = '/') {
  const queryClient = createTestQueryClient();
  const router = createAppRouter({ queryClient, history: createMemoryHistory({ initialEntries: [path] }) });
  return render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
}

/** A `fetch` stand-in that answers every request with a fresh copy of one response. */
export function respondWith(makeResponse: () => Response) {
  return async () => {
    await Promise.resolve();
    return makeResponse();
  };
}

export const readyResponse = (version = '0.1.0') => Response.json({ status: 'ready', version });

export const databaseUnavailableResponse = () =>
  new Response(
    JSON.stringify({
      type: 'urn:polku:problem:database-unavailable',
      title: 'Service unavailable',
      status: 503,
      detail: 'The database is not available.',
    }),
    { status: 503, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '5' } },
  );
