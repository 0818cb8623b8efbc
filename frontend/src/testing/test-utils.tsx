import { QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';

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
  const result = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, router, queryClient };
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

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * A fake Polku server for `fetch`: handlers by `"METHOD /path"` (a handler may be a list,
 * answered in turn, the last one repeated). Unknown requests answer 404. Records every request.
 */
export function fakeApi(routes: Record<string, Handler | Handler[]>) {
  const calls: Request[] = [];
  const counters = new Map<string, number>();
  const fetch = vi.fn(async (input: Request) => {
    await Promise.resolve();
    calls.push(input.clone());
    const key = `${input.method} ${new URL(input.url).pathname}`;
    const route = routes[key];
    if (!route) return problem(404, 'not-found');
    const handlers = Array.isArray(route) ? route : [route];
    const index = counters.get(key) ?? 0;
    counters.set(key, index + 1);
    const handler = handlers[Math.min(index, handlers.length - 1)];
    return handler ? handler(input) : problem(404, 'not-found');
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls, count: (key: string) => calls.filter((r) => `${r.method} ${new URL(r.url).pathname}` === key).length };
}

export function problem(status: number, slug: string, errors?: { field: string; code: string; message: string }[]) {
  return new Response(
    JSON.stringify({ type: `urn:polku:problem:${slug}`, title: slug, status, detail: slug, ...(errors ? { errors } : {}) }),
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

export const tokenResponse = (token = 'token-1') => () =>
  Response.json({ access_token: token, token_type: 'Bearer', expires_in: 900 });

export const me = (overrides: Record<string, unknown> = {}) => () =>
  Response.json({
    id: '00000000-0000-7000-8000-000000000001',
    email: 'coach@example.fi',
    display_name: 'Aino Ohjaaja',
    language: 'fi',
    organisation: { id: '00000000-0000-7000-8000-0000000000aa', name: 'Testikunta' },
    roles: ['coach'],
    permissions: ['units_read', 'clients_read_own_units', 'clients_write_own_units', 'clients_reveal', 'clients_lookup'],
    unit_ids: ['00000000-0000-7000-8000-0000000000u1'],
    mfa_enabled: false,
    ...overrides,
  });

export const emptyPage = () => Response.json({ items: [], next_cursor: null });
