import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { checkAccessReason, clearAccessReasons } from '@/lib/access-reason';
import fi from '@/locales/fi.json';
import { client, clientId, signedIn } from '@/testing/fixtures';
import { fakeApi, problem, renderApp } from '@/testing/test-utils';

const clientPath = `/api/v1/clients/${clientId}`;

describe("another unit's client", () => {
  afterEach(() => {
    clearAccessReasons();
  });

  it('checks the reason as the server does', () => {
    expect(checkAccessReason('  ')).toBe('required');
    expect(checkAccessReason('Sij')).toBe('length');
    expect(checkAccessReason('x'.repeat(501))).toBe('length');
    expect(checkAccessReason('Sijaisuus viikolla 49')).toBeNull();
  });

  it('asks for the reason in a dialog and sends it with every read of the client', async () => {
    const api = fakeApi({
      ...signedIn,
      [`GET ${clientPath}`]: (request) =>
        new URL(request.url).searchParams.get('access_reason') === 'Sijaisuus viikolla 49'
          ? Response.json(client({ unit_id: '00000000-0000-7000-8000-0000000000u2' }))
          : problem(403, 'access-reason-required'),
      [`GET ${clientPath}/consents`]: (request) =>
        new URL(request.url).searchParams.has('access_reason') ? Response.json([]) : problem(403, 'access-reason-required'),
    });
    const user = userEvent.setup();
    renderApp(`/clients/${clientId}`);

    const dialog = await screen.findByRole('dialog', { name: fi.accessReason.title }, { timeout: 5_000 });
    await user.type(within(dialog).getByLabelText(fi.accessReason.reason, { exact: false }), 'Sij');
    await user.click(within(dialog).getByRole('button', { name: fi.accessReason.submit }));
    expect(within(dialog).getByLabelText(fi.accessReason.reason, { exact: false })).toHaveAttribute('aria-invalid', 'true');
    expect(api.calls.filter((r) => new URL(r.url).searchParams.has('access_reason'))).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(fi.accessReason.reason, { exact: false }), 'aisuus viikolla 49');
    await user.click(within(dialog).getByRole('button', { name: fi.accessReason.submit }));
    expect(await screen.findByRole('heading', { name: 'Aino Mäkinen', level: 1 })).toBeVisible();
    expect(await screen.findByText(fi.consents.empty)).toBeVisible();
    const reasons = api.calls
      .filter((r) => r.method === 'GET' && new URL(r.url).pathname.startsWith(clientPath))
      .map((r) => new URL(r.url).searchParams.get('access_reason'));
    expect(reasons).toContain('Sijaisuus viikolla 49');
    // Writes and the change history (which takes no reason) are left as they were.
    expect(api.calls.filter((r) => new URL(r.url).pathname.endsWith('/changes') && new URL(r.url).searchParams.has('access_reason'))).toHaveLength(0);
  });
});
