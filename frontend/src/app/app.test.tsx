import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import sv from '@/locales/sv.json';
import { client, signedIn as session } from '@/testing/fixtures';
import {
  emptyPage,
  fakeApi,
  me,
  problem,
  readyResponse,
  renderApp,
  tokenResponse,
} from '@/testing/test-utils';

async function expectNoAxeViolations() {
  const results = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
  expect(results.violations.map(({ id, help, nodes }) => ({ id, help, targets: nodes.map((node) => node.target) }))).toEqual(
    [],
  );
}

const signedIn = {
  ...session,
  'GET /api/v1/periods/attention': () => Response.json([]),
  'GET /api/v1/consents/expiring': emptyPage,
  'GET /api/v1/consents/missing-processing': emptyPage,
  'GET /api/v1/periods': emptyPage,
  'GET /api/v1/units': emptyPage,
};

describe('App', () => {
  it('sends a visitor without a session to log in, remembering where they were going', async () => {
    fakeApi({ 'POST /api/v1/auth/refresh': () => problem(401, 'unauthenticated'), 'GET /readyz': () => readyResponse() });

    const { router } = renderApp('/clients');

    expect(await screen.findByRole('heading', { level: 2, name: fi.auth.login.heading })).toBeVisible();
    expect(screen.getByRole('heading', { level: 1, name: 'Polku' })).toBeVisible();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toEqual({ redirect: '/clients' });
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    await waitFor(() => {
      expect(screen.getByTestId('server-status')).toHaveAttribute('data-state', 'ready');
    });
    expect(document.title).toBe(`${fi.auth.login.heading} – Polku`);
    await expectNoAxeViolations();
  });

  it('logs in with a second factor, applies the language from /auth/me and returns to the page', async () => {
    const api = fakeApi({
      'POST /api/v1/auth/refresh': () => problem(401, 'unauthenticated'),
      'GET /readyz': () => readyResponse(),
      'POST /api/v1/auth/login': [
        () => problem(401, 'invalid-credentials'),
        () => Response.json({ status: 'mfa_required', mfa_token: 'ticket' }),
      ],
      'POST /api/v1/auth/login/mfa': () =>
        Response.json({ status: 'authenticated', access_token: 'token-mfa', token_type: 'Bearer', expires_in: 900 }),
      'GET /api/v1/auth/me': me({ language: 'sv' }),
      'POST /api/v1/clients/search': emptyPage,
    });
    const user = userEvent.setup();
    const { router } = renderApp('/clients');

    await user.type(await screen.findByLabelText(fi.auth.login.email, { exact: false }), 'coach@example.fi');
    await user.type(screen.getByLabelText(fi.auth.login.password, { exact: false }), 'wrong');
    await user.click(screen.getByRole('button', { name: fi.auth.login.submit }));
    expect(await screen.findByText(fi.auth.errors.wrongPassword)).toBeVisible();

    await user.click(screen.getByRole('button', { name: fi.auth.login.submit }));
    await user.type(await screen.findByLabelText(fi.auth.mfa.code, { exact: false }), '123 456');
    await user.click(screen.getByRole('button', { name: fi.auth.mfa.submit }));

    expect(await screen.findByRole('heading', { level: 1, name: sv.clients.title })).toBeVisible();
    expect(router.state.location.pathname).toBe('/clients');
    expect(document.documentElement.lang).toBe('sv');
    const mfaBody: unknown = await api.calls.find((r) => r.url.endsWith('/login/mfa'))?.json();
    expect(mfaBody).toEqual({ mfa_token: 'ticket', code: '123456' });
    const meRequest = api.calls.find((r) => r.url.endsWith('/auth/me'));
    expect(meRequest?.headers.get('Authorization')).toBe('Bearer token-mfa');
    expect(Object.keys(localStorage).map((key) => localStorage.getItem(key)).join()).not.toContain('token-mfa');
  });

  it('refreshes the session silently on a 401 and repeats the request', async () => {
    const api = fakeApi({
      ...signedIn,
      'POST /api/v1/auth/refresh': [tokenResponse('first'), tokenResponse('second')],
      'POST /api/v1/clients/search': [
        () => problem(401, 'unauthenticated'),
        () => Response.json({ items: [client()], next_cursor: null }),
      ],
    });

    renderApp('/clients');

    expect(await screen.findByRole('link', { name: 'Mäkinen, Aino' })).toBeVisible();
    expect(screen.getByText('15.3.1990')).toBeVisible();
    const searches = api.calls.filter((r) => r.url.endsWith('/clients/search'));
    expect(searches.map((r) => r.headers.get('Authorization'))).toEqual(['Bearer first', 'Bearer second']);
  });

  it('sends the user to log in again when the session has expired, and says so', async () => {
    fakeApi({
      ...signedIn,
      'POST /api/v1/auth/refresh': [tokenResponse(), () => problem(401, 'unauthenticated')],
      'POST /api/v1/clients/search': () => problem(401, 'unauthenticated'),
    });

    const { router } = renderApp('/clients');

    expect(await screen.findByText(fi.auth.expired.title)).toBeVisible();
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toEqual({ redirect: '/clients', expired: true });
  });

  it('shows a banner while the network is down', async () => {
    fakeApi({
      ...signedIn,
      'POST /api/v1/clients/search': () => Promise.reject(new TypeError('Failed to fetch')),
    });

    renderApp('/clients');

    const banner = await screen.findByTestId('network-banner');
    await waitFor(() => {
      expect(banner).toHaveAttribute('data-state', 'offline');
    });
    expect(within(banner).getByText(fi.network.offlineTitle)).toBeVisible();
    expect(await screen.findByText(fi.errors.network)).toBeVisible();
  });

  it('shows the home page with navigation, the user and the attention lists', async () => {
    fakeApi(signedIn);

    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: fi.home.title })).toBeVisible();
    expect(await screen.findByText(fi.home.attention.empty)).toBeVisible();
    expect(await screen.findByText(fi.home.withoutConsent.empty)).toBeVisible();
    expect(screen.getByTestId('current-user')).toHaveTextContent('Aino Ohjaaja');
    const nav = screen.getByRole('navigation', { name: fi.nav.label });
    expect(within(nav).getByRole('link', { name: fi.nav.home })).toHaveAttribute('aria-current', 'page');
    await expectNoAxeViolations();
  });

  it('hides client lists from a user without client permissions', async () => {
    fakeApi({ ...signedIn, 'GET /api/v1/auth/me': me({ roles: ['admin'], permissions: ['users_manage'] }) });

    renderApp('/');

    expect(await screen.findByText(fi.home.noClientAccess)).toBeVisible();
    expect(screen.queryByText(fi.home.attention.title)).not.toBeInTheDocument();
  });

  it('switches language from the header and remembers the choice', async () => {
    fakeApi({ 'POST /api/v1/auth/refresh': () => problem(401, 'unauthenticated'), 'GET /readyz': () => readyResponse() });
    const user = userEvent.setup();
    renderApp('/login');
    await screen.findByRole('heading', { level: 2, name: fi.auth.login.heading });

    await user.selectOptions(screen.getByRole('combobox', { name: fi.language.label }), 'sv');

    expect(await screen.findByRole('heading', { level: 2, name: sv.auth.login.heading })).toBeVisible();
    expect(document.documentElement.lang).toBe('sv');
    expect(localStorage.getItem('polku.language')).toBe('sv');
  });

  it('renders the not-found page inside the layout for an unknown deep path', async () => {
    fakeApi({ 'POST /api/v1/auth/refresh': () => problem(401, 'unauthenticated') });

    renderApp('/some/deep/route');

    expect(await screen.findByRole('heading', { level: 1, name: fi.notFound.title })).toBeVisible();
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: fi.notFound.backHome })).toHaveAttribute('href', '/');
    expect(document.title).toBe(`${fi.notFound.title} – Polku`);
    await expectNoAxeViolations();
  });
});
