import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { fakeApi, me, readyResponse, renderApp, tokenResponse } from '@/testing/test-utils';

const periodId = '00000000-0000-7000-8000-0000000000p1';
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
      'POST /api/v1/auth/refresh': tokenResponse(),
      'GET /api/v1/auth/me': me(),
      'GET /readyz': () => readyResponse(),
      'GET /api/v1/code-lists/service_type': () => Response.json([]),
      [`GET /api/v1/periods/${periodId}/page`]: () =>
        Response.json({
          period: {
            id: periodId, client_id: '00000000-0000-7000-8000-0000000000c1', service_type: 'ktt', starts_on: '2026-09-14',
            unit_id: '00000000-0000-7000-8000-0000000000u1', mode: 'group', weekdays: [1, 3], days_per_week: 2, hours_per_day: 4,
            warnings: [], created_at: '2026-09-01T08:00:00Z', updated_at: '2026-09-01T08:00:00Z', version: 1,
          },
          goals: [], diary: [], assessments: [],
        }),
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
    const form = within(section).getByRole('form', { name: fi.periods.agreements.new });
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
