import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { client, signedIn } from '@/testing/fixtures';
import { emptyPage, fakeApi, me, renderApp } from '@/testing/test-utils';

const found = () => Response.json({ items: [client()], next_cursor: null });

async function searchBodies(api: ReturnType<typeof fakeApi>) {
  const searches = api.calls.filter((r) => r.url.endsWith('/api/v1/clients/search'));
  return (await Promise.all(searches.map((r) => r.clone().json()))) as Record<string, unknown>[];
}

describe('the client search', () => {
  it('looks a client up by identity code for those who may, showing the masked code', async () => {
    const api = fakeApi({ ...signedIn, 'POST /api/v1/clients/search': [emptyPage, found] });
    const user = userEvent.setup();
    renderApp('/clients');

    const search = await screen.findByLabelText(fi.clients.search.label);
    expect(screen.getByText(fi.clients.search.help)).toBeVisible();
    await user.type(search, '150390-912R');
    expect(await screen.findByText('150390-****')).toBeVisible();
    const bodies = await searchBodies(api);
    expect(bodies.at(-1)).toMatchObject({ personal_identity_code: '150390-912R' });
  });

  it('never sends an identity code for those who may not look codes up, and says why', async () => {
    const api = fakeApi({
      ...signedIn,
      'GET /api/v1/auth/me': me({ permissions: ['units_read', 'clients_read_own_units'] }),
      'POST /api/v1/clients/search': emptyPage,
    });
    const user = userEvent.setup();
    renderApp('/clients');

    const search = await screen.findByLabelText(fi.clients.search.label);
    expect(screen.getByText(fi.clients.search.helpWithoutLookup)).toBeVisible();
    await user.type(search, '150390-912R');
    expect(await screen.findByText(fi.clients.search.lookupNotAllowed)).toBeVisible();
    await waitFor(async () => {
      const bodies = await searchBodies(api);
      expect(bodies.some((body) => 'personal_identity_code' in body)).toBe(false);
    });
    // A name still searches.
    await user.clear(search);
    await user.type(search, 'Mäkinen');
    await waitFor(async () => {
      expect((await searchBodies(api)).at(-1)).toMatchObject({ q: 'Mäkinen' });
    });
  });
});
