import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { client, clientId, signedIn, unitId } from '@/testing/fixtures';
import { emptyPage, fakeApi, problem, renderApp } from '@/testing/test-utils';

const base = {
  ...signedIn,
  'GET /api/v1/units': () => Response.json({ items: [{ id: unitId, name: 'Työpaja', version: 1 }], next_cursor: null }),
  'GET /api/v1/clients/00000000-0000-7000-8000-0000000000c1': () => Response.json(client()),
  'GET /api/v1/clients/00000000-0000-7000-8000-0000000000c1/consents': () => Response.json([]),
  'GET /api/v1/clients/00000000-0000-7000-8000-0000000000c1/history': () => Response.json([]),
  'POST /api/v1/clients/search': emptyPage,
};

describe('the client form', () => {
  it('checks the identity code and IBAN as they are typed, and not before they are complete', async () => {
    fakeApi(base);
    const user = userEvent.setup();
    renderApp('/clients/new');

    const code = await screen.findByLabelText(fi.clients.fields.personal_identity_code);
    await user.type(code, '131052-30');
    expect(screen.queryByText(fi.errors.fields.personal_identity_code.format)).not.toBeInTheDocument();
    await user.type(code, '8U');
    expect(await screen.findByText(fi.errors.fields.personal_identity_code.check_character)).toBeVisible();
    expect(code).toHaveAttribute('aria-invalid', 'true');
    await user.clear(code);
    await user.type(code, '131052-308T');
    await waitFor(() => {
      expect(screen.queryByText(fi.errors.fields.personal_identity_code.check_character)).not.toBeInTheDocument();
    });
    // With an identity code, the date of birth comes from it.
    expect(screen.getByLabelText(fi.clients.fields.birth_date)).toBeDisabled();

    const iban = screen.getByLabelText(fi.clients.fields.iban);
    await user.type(iban, 'FI21 1234 5600 0007 86');
    expect(await screen.findByText(fi.errors.fields.iban.checksum)).toBeVisible();
  });

  it('shows the API field errors on their fields and sends only trimmed, present values', async () => {
    const api = fakeApi({
      ...base,
      'POST /api/v1/clients': () =>
        problem(422, 'validation', [
          { field: 'personal_identity_code', code: 'duplicate', message: 'exists' },
          { field: 'phone', code: 'format', message: 'bad phone' },
        ]),
    });
    const user = userEvent.setup();
    renderApp('/clients/new');

    await user.type(await screen.findByLabelText(fi.clients.fields.last_name, { exact: false }), ' Mäkinen ');
    await user.type(screen.getByLabelText(fi.clients.fields.first_names, { exact: false }), 'Aino');
    await user.type(screen.getByLabelText(fi.clients.fields.personal_identity_code), '131052-308t');
    await user.type(screen.getByLabelText(fi.clients.fields.phone), 'abc');
    await user.click(screen.getByRole('button', { name: fi.clients.create }));

    expect(await screen.findByText(fi.errors.fields.personal_identity_code.duplicate)).toBeVisible();
    expect(screen.getByText(fi.errors.fields.phone.format)).toBeVisible();
    expect(screen.getByLabelText(fi.clients.fields.personal_identity_code)).toHaveFocus();
    const body = (await api.calls.find((r) => r.method === 'POST' && r.url.endsWith('/api/v1/clients'))?.json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      unit_id: unitId,
      last_name: 'Mäkinen',
      first_names: 'Aino',
      personal_identity_code: '131052-308T',
      birth_date: null,
      email: null,
      phone: 'abc',
    });
    expect(body).not.toHaveProperty('trade_union');
  });

  it('on a 412 shows what changed and reloads without losing what the user typed', async () => {
    const api = fakeApi({
      ...base,
      'GET /api/v1/clients/00000000-0000-7000-8000-0000000000c1': [
        () => Response.json(client()),
        () => Response.json(client({ phone: '050 999 8888', version: 2 })),
      ],
      'PATCH /api/v1/clients/00000000-0000-7000-8000-0000000000c1': [
        () => problem(412, 'stale-version'),
        () => Response.json(client({ phone: '050 999 8888', email: 'aino@example.fi', version: 3 })),
      ],
    });
    const user = userEvent.setup();
    renderApp(`/clients/${clientId}/edit`);

    const email = await screen.findByLabelText(fi.clients.fields.email);
    await user.type(email, 'aino@example.fi');
    await user.click(screen.getByRole('button', { name: fi.common.save }));

    const conflict = await screen.findByTestId('conflict');
    expect(conflict).toHaveTextContent(`${fi.clients.fields.phone}: 040 111 2222 → 050 999 8888`);
    await user.click(screen.getByRole('button', { name: fi.conflict.reload }));

    expect(screen.getByLabelText(fi.clients.fields.email)).toHaveValue('aino@example.fi');
    expect(screen.getByLabelText(fi.clients.fields.phone)).toHaveValue('050 999 8888');
    await user.click(screen.getByRole('button', { name: fi.common.save }));

    await waitFor(() => {
      expect(api.count(`PATCH /api/v1/clients/${clientId}`)).toBe(2);
    });
    const patches = api.calls.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.headers.get('If-Match'))).toEqual(['"1"', '"2"']);
    expect(await patches[1]?.json()).toEqual({ email: 'aino@example.fi' });
  });
});
