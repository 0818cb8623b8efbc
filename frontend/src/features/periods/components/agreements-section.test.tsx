import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { periodId, periodPage, signedIn } from '@/testing/fixtures';
import { fakeApi, renderApp } from '@/testing/test-utils';

const agreementId = '00000000-0000-7000-8000-0000000000a1';
const agreementsPath = `/api/v1/periods/${periodId}/agreements`;

const agreement = (state: 'draft' | 'signed', version: number) => ({
  id: agreementId,
  period_id: periodId,
  kind: 'activity',
  state,
  workplace: 'Puutyöpaja',
  tasks: 'Huonekalujen kunnostus',
  starts_on: '2026-12-07',
  ends_on: '2027-03-31',
  signed_on: state === 'signed' ? '2026-12-03' : null,
  version,
});

describe('agreements on the period page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drafts an agreement with dates typed the Finnish way, and signs it after a confirmation (If-Match)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const api = fakeApi({
      ...signedIn,
      [`GET /api/v1/periods/${periodId}/page`]: periodPage(),
      [`GET /api/v1/periods/${periodId}/reports`]: () => Response.json([]),
      [`GET ${agreementsPath}`]: [
        () => Response.json([]),
        () => Response.json([agreement('draft', 1)]),
        () => Response.json([agreement('signed', 2)]),
      ],
      [`POST ${agreementsPath}`]: () => Response.json(agreement('draft', 1), { status: 201 }),
      [`PATCH ${agreementsPath}/${agreementId}`]: () => Response.json(agreement('signed', 2)),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const section = await screen.findByTestId('agreements', {}, { timeout: 5_000 });
    expect(await within(section).findByText(fi.periods.agreements.empty)).toBeVisible();
    await user.click(within(section).getByRole('button', { name: fi.periods.agreements.new }));
    // The form opens in a Collapse, hidden from the accessibility tree until it has expanded:
    // wait for it rather than expect it at once.
    const form = await within(section).findByRole('form', { name: fi.periods.agreements.new });
    await user.type(within(form).getByLabelText(fi.periods.agreements.fields.workplace), 'Puutyöpaja');
    await user.type(within(form).getByLabelText(fi.periods.agreements.fields.tasks), 'Huonekalujen kunnostus');
    await user.type(within(form).getByLabelText(fi.periods.agreements.fields.starts_on), '7.12.2026');
    await user.type(within(form).getByLabelText(fi.periods.agreements.fields.ends_on), '31.3.2027');
    await user.click(within(form).getByRole('button', { name: fi.periods.agreements.create }));

    const draft = await within(section).findByTestId('agreement-draft');
    expect(draft).toHaveTextContent('Puutyöpaja');
    expect(draft).toHaveTextContent('7.12.2026–31.3.2027');
    const posted: unknown = await api.calls.find((request) => request.method === 'POST' && request.url.endsWith('/agreements'))?.json();
    expect(posted).toEqual({
      kind: 'activity', starts_on: '2026-12-07', ends_on: '2027-03-31', workplace: 'Puutyöpaja', place: null,
      tasks: 'Huonekalujen kunnostus', schedule: null, workplace_contact: null, organisation_contact: null, insurance_note: null,
    });

    await user.click(within(draft).getByRole('button', { name: fi.periods.agreements.sign }));
    const dialog = await screen.findByRole('dialog', { name: fi.periods.agreements.signTitle });
    expect(api.count(`PATCH ${agreementsPath}/${agreementId}`)).toBe(0);
    expect(within(dialog).getByLabelText(fi.periods.agreements.fields.signed_on, { exact: false })).toHaveValue('3.12.2026');
    await user.click(within(dialog).getByRole('button', { name: fi.periods.agreements.signConfirm }));

    expect(await within(section).findByTestId('agreement-signed')).toHaveTextContent(fi.periods.agreements.states.signed);
    const patch = api.calls.find((request) => request.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"1"');
    expect(await patch?.json()).toEqual({ state: 'signed', signed_on: '2026-12-03' });
  });
});
