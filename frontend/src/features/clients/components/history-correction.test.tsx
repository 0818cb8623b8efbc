import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { startSession } from '@/lib/session';
import fi from '@/locales/fi.json';
import { fakeApi, me, problem, renderWithProviders } from '@/testing/test-utils';

import type { HistoryEntry } from '../api/types';
import { ClientHistory } from './client-history';
import { toHistoryCorrection } from './history-correction';

const clientId = '00000000-0000-7000-8000-0000000000c1';
const entryId = '00000000-0000-7000-8000-0000000000h1';
const historyPath = `/api/v1/clients/${clientId}/history`;
const work = (overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: entryId,
  client_id: clientId,
  kind: 'work',
  starts_on: '2019-03-01',
  ends_on: '2021-05-31',
  occupation: 'Varastotyöntekijä',
  description: 'Keräilyä',
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
  version: 2,
  ...overrides,
});

describe('correcting a background entry', () => {
  it('sends only what changed, a cleared field as null, and the reason', () => {
    const values = { startsOn: '2019-03-01', endsOn: '', occupation: 'Varastotyöntekijä', description: 'Keräilyä', reason: ' Väärä päättymispäivä ' };
    expect(toHistoryCorrection(work(), values)).toEqual({ ends_on: null, reason: 'Väärä päättymispäivä' });
    expect(toHistoryCorrection(work(), { ...values, endsOn: '2021-05-31', reason: '', occupation: 'Trukinkuljettaja' })).toEqual({
      occupation: 'Trukinkuljettaja',
    });
  });

  it('corrects an entry with If-Match and shows the server field errors beside their fields', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${historyPath}`]: [() => Response.json([work()]), () => Response.json([work({ occupation: 'Trukinkuljettaja', version: 3 })])],
      [`PATCH ${historyPath}/${entryId}`]: [
        () => problem(422, 'validation', [{ field: 'occupation', code: 'too_long', message: 'Too long.' }]),
        () => Response.json(work({ occupation: 'Trukinkuljettaja', version: 3 })),
      ],
    });
    startSession('token', 900);
    renderWithProviders(<ClientHistory clientId={clientId} />);
    const user = userEvent.setup();

    await user.click(
      await screen.findByRole('button', { name: fi.clientActions.history.correctFor.replace('{{kind}}', fi.history.kinds.work) }),
    );
    const form = screen.getByRole('form', { name: fi.clientActions.history.title });
    const occupation = within(form).getByRole('textbox', { name: fi.history.occupation });
    await user.clear(occupation);
    await user.type(occupation, 'Trukinkuljettaja');
    await user.type(within(form).getByRole('textbox', { name: fi.clientActions.history.reason }), 'Ammatti kirjattu väärin');
    await user.click(within(form).getByRole('button', { name: fi.clientActions.history.save }));
    expect(await within(form).findByText(fi.errors.codes.too_long)).toBeVisible();
    expect(occupation).toHaveAttribute('aria-invalid', 'true');

    await user.click(within(form).getByRole('button', { name: fi.clientActions.history.save }));
    expect(await screen.findByText('Trukinkuljettaja')).toBeVisible();
    const patch = api.calls.filter((request) => request.method === 'PATCH').at(-1);
    expect(patch?.headers.get('If-Match')).toBe('"2"');
    expect(await patch?.json()).toEqual({ occupation: 'Trukinkuljettaja', reason: 'Ammatti kirjattu väärin' });
  });
});
