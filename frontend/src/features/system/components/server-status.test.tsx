import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import {
  databaseUnavailableResponse,
  readyResponse,
  renderWithProviders,
  respondWith,
} from '@/testing/test-utils';

import { ServerStatus } from './server-status';

function stubFetch(implementation: (request: Request) => Promise<Response>) {
  const fetch = vi.fn(implementation);
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function expectState(state: string, text: string) {
  const status = screen.getByTestId('server-status');
  await waitFor(() => {
    expect(status).toHaveAttribute('data-state', state);
  });
  expect(status).toHaveTextContent(text);
}

describe('ServerStatus', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the server as ready with its version', async () => {
    const fetch = stubFetch(respondWith(() => readyResponse('1.2.3')));

    renderWithProviders(<ServerStatus />);

    await expectState('ready', fi.system.status.ready);
    expect(screen.getByTestId('server-status')).toHaveTextContent('Versio 1.2.3');
    const request = fetch.mock.calls[0]?.[0];
    expect(request?.method).toBe('GET');
    expect(new URL(request?.url ?? '').pathname).toBe('/readyz');
  });

  it('shows "checking" in a live region until the first answer arrives', () => {
    stubFetch(() => new Promise<Response>(() => undefined));

    renderWithProviders(<ServerStatus />);

    const status = screen.getByRole('status');
    expect(status).toBe(screen.getByTestId('server-status'));
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveAttribute('data-state', 'checking');
    expect(status).toHaveTextContent(fi.system.status.checking);
  });

  it('shows the server as not ready when it answers 503 with a problem document', async () => {
    stubFetch(respondWith(databaseUnavailableResponse));

    renderWithProviders(<ServerStatus />);

    await expectState('not-ready', fi.system.status.notReady);
  });

  it('shows the server as unreachable when the request fails', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));

    renderWithProviders(<ServerStatus />);

    await expectState('unreachable', fi.system.status.unreachable);
  });

  it('shows the server as unreachable when a proxy answers instead of Polku', async () => {
    stubFetch(respondWith(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 })));

    renderWithProviders(<ServerStatus />);

    await expectState('unreachable', fi.system.status.unreachable);
  });

  it('checks again every 10 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let answer = readyResponse;
    const fetch = stubFetch(respondWith(() => answer()));

    renderWithProviders(<ServerStatus />);
    await expectState('ready', fi.system.status.ready);
    expect(fetch).toHaveBeenCalledTimes(1);

    answer = databaseUnavailableResponse;
    await act(() => vi.advanceTimersByTimeAsync(9_000));
    expect(fetch).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1_000));

    await expectState('not-ready', fi.system.status.notReady);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
