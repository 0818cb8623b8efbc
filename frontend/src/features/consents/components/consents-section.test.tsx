import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { fakeApi, me, problem, renderWithProviders } from '@/testing/test-utils';
import { startSession } from '@/lib/session';

import { ConsentsSection, MissingConsentBanner } from './consents-section';

const clientId = '00000000-0000-7000-8000-0000000000c1';
const consent = (status: string, overrides: Record<string, unknown> = {}) => ({
  id: '00000000-0000-7000-8000-0000000000k1',
  client_id: clientId,
  kind: 'processing',
  recipient_is_category: false,
  data_categories: [],
  given_at: '2026-12-01T10:00:00Z',
  given_how: 'written',
  valid_from: '2026-12-01T10:00:00Z',
  recorded_at: '2026-12-01T10:00:00Z',
  status,
  ...overrides,
});
const consentsPath = `/api/v1/clients/${clientId}/consents`;

function renderSection() {
  startSession('token', 900);
  return renderWithProviders(
    <>
      <MissingConsentBanner clientId={clientId} />
      <ConsentsSection clientId={clientId} />
    </>,
  );
}

describe('consents on the client page', () => {
  it('warns about a client without a processing consent and records one', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${consentsPath}`]: [() => Response.json([]), () => Response.json([consent('active')])],
      [`POST ${consentsPath}`]: () => Response.json(consent('active'), { status: 201 }),
    });
    const user = userEvent.setup();
    renderSection();

    expect(await screen.findByTestId('missing-consent')).toHaveTextContent(fi.consents.missing.title);
    expect(screen.getByText(fi.consents.empty)).toBeVisible();
    await user.click(await screen.findByRole('button', { name: fi.consents.give.open }));
    const form = await screen.findByRole('form', { name: fi.consents.give.title });
    await user.click(within(form).getByRole('radio', { name: fi.consents.givenHow.verbal }));
    await user.type(within(form).getByLabelText(fi.consents.fields.witness, { exact: false }), 'Maija Meikäläinen');
    await user.click(within(form).getByRole('button', { name: fi.consents.give.submit }));

    await waitFor(() => {
      expect(screen.queryByTestId('missing-consent')).not.toBeInTheDocument();
    });
    expect(within(screen.getByTestId('consent-list')).getByText(fi.consents.status.active)).toBeVisible();
    const body: unknown = await api.calls.find((r) => r.method === 'POST')?.json();
    expect(body).toMatchObject({ kind: 'processing', given_how: 'verbal', witness: 'Maija Meikäläinen', given_at: null });
  });

  it('shows the API field errors of a disclosure consent beside its fields', async () => {
    fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${consentsPath}`]: () => Response.json([]),
      [`POST ${consentsPath}`]: () =>
        problem(422, 'validation', [
          { field: 'recipient', code: 'required', message: 'Name the recipient.' },
          { field: 'data_categories', code: 'required', message: 'Choose data.' },
        ]),
    });
    const user = userEvent.setup();
    renderSection();

    await user.click(await screen.findByRole('button', { name: fi.consents.give.open }));
    const form = await screen.findByRole('form', { name: fi.consents.give.title });
    await user.selectOptions(within(form).getByLabelText(fi.consents.fields.kind, { exact: true }), 'disclosure');
    await user.click(within(form).getByRole('button', { name: fi.consents.give.submit }));

    expect(await within(form).findAllByText(fi.errors.codes.required)).toHaveLength(2);
    expect(within(form).getByRole('textbox', { name: new RegExp(`^${fi.consents.fields.recipient}`) })).toHaveAttribute('aria-invalid', 'true');
  });

  it('withdraws a consent only after the confirmation', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${consentsPath}`]: [() => Response.json([consent('active')]), () => Response.json([consent('withdrawn')])],
      [`POST ${consentsPath}/00000000-0000-7000-8000-0000000000k1/withdraw`]: () => Response.json(consent('withdrawn')),
    });
    const user = userEvent.setup();
    renderSection();

    await user.click(
      await screen.findByRole('button', { name: fi.consents.withdraw.buttonFor.replace('{{kind}}', fi.consents.kinds.processing) }),
    );
    const dialog = await screen.findByRole('dialog', { name: fi.consents.withdraw.title });
    expect(api.count(`POST ${consentsPath}/00000000-0000-7000-8000-0000000000k1/withdraw`)).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: fi.consents.withdraw.confirm }));

    expect(await within(screen.getByTestId('consent-list')).findByText(fi.consents.status.withdrawn)).toBeVisible();
    expect(await screen.findByTestId('missing-consent')).toBeVisible();
    const body: unknown = await api.calls.find((r) => r.url.endsWith('/withdraw'))?.json();
    expect(body).toEqual({ requested_how: 'verbal', note: null });
  });
});
