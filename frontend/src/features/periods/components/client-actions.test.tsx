import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { periodId, periodPage, signedIn } from '@/testing/fixtures';
import { fakeApi, me as meResponse, problem, renderApp } from '@/testing/test-utils';

import type { DiaryEntry } from '../api/types';
import { needsReason, toDiaryUpdate, validateDiaryEdit } from './diary-entry-values';
import { validateEndAgreement } from './end-agreement-values';

const me = '00000000-0000-7000-8000-000000000001';
const entryId = '00000000-0000-7000-8000-0000000000d1';
const entry = (overrides: Partial<DiaryEntry> = {}): DiaryEntry => ({
  id: entryId,
  period_id: periodId,
  entry_date: '2026-12-03',
  body: 'Saapui ajoisa.',
  sensitive: false,
  author_id: me,
  author_name: 'Aino Ohjaaja',
  created_at: '2026-12-03T10:00:00Z',
  updated_at: '2026-12-03T10:00:00Z',
  editable_until: '2026-12-04T10:00:00Z',
  version: 3,
  ...overrides,
});
const diaryPath = `/api/v1/periods/${periodId}/diary/${entryId}`;
const agreementId = '00000000-0000-7000-8000-0000000000a1';
const agreementsPath = `/api/v1/periods/${periodId}/agreements`;
const agreement = (state: 'signed' | 'ended') => ({
  id: agreementId,
  period_id: periodId,
  kind: 'work',
  state,
  workplace: 'Kirjasto',
  signed_on: '2026-11-20',
  ended_on: state === 'ended' ? '2026-12-03' : null,
  end_reason: state === 'ended' ? 'Asiakas muutti' : null,
  version: state === 'ended' ? 3 : 2,
});
const pageRoutes = {
  ...signedIn,
  [`GET /api/v1/periods/${periodId}/reports`]: () => Response.json([]),
  [`GET /api/v1/periods/${periodId}/assessments`]: () => Response.json([]),
};

describe('the diary correction values', () => {
  it('needs a reason after the edit window or for another author, and sends only what changed', () => {
    expect(needsReason(entry(), me, new Date('2026-12-03T12:00:00Z'))).toBe(false);
    expect(needsReason(entry(), me, new Date('2026-12-05T12:00:00Z'))).toBe(true);
    expect(needsReason(entry({ author_id: 'someone-else' }), me, new Date('2026-12-03T12:00:00Z'))).toBe(true);
    expect(validateDiaryEdit({ entryDate: '2026-12-03', body: ' ', reason: '', sensitive: false }, true)).toEqual({ body: 'required', reason: 'required' });
    expect(validateDiaryEdit({ entryDate: '2026-12-03', body: 'Teksti', reason: '', sensitive: false }, false)).toEqual({});
    expect(toDiaryUpdate(entry(), { entryDate: '2026-12-03', body: 'Saapui ajoissa.', reason: ' Kirjoitusvirhe ', sensitive: false })).toEqual({
      body: 'Saapui ajoissa.',
      reason: 'Kirjoitusvirhe',
    });
    expect(toDiaryUpdate(entry(), { entryDate: '2026-12-03', body: 'Saapui ajoisa.', reason: '', sensitive: true })).toEqual({ sensitive: true });
  });

  it('ends an agreement only with a date not before the signing and a reason', () => {
    expect(validateEndAgreement({ endedOn: '', reason: '' }, '2026-11-20')).toEqual({ ended_on: 'required', end_reason: 'required' });
    expect(validateEndAgreement({ endedOn: '2026-11-19', reason: 'Muutto' }, '2026-11-20')).toEqual({ ended_on: 'before_signed' });
    expect(validateEndAgreement({ endedOn: '2026-11-20', reason: 'Muutto' }, '2026-11-20')).toEqual({});
  });
});

describe('correcting the diary and ending agreements on the period page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('corrects an entry after the edit window only with a reason, sent with If-Match', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-05T10:00:00Z'));
    const api = fakeApi({
      ...pageRoutes,
      [`GET /api/v1/periods/${periodId}/page`]: [
        periodPage({ diary: [entry()] }),
        periodPage({ diary: [entry({ body: 'Saapui ajoissa.', updated_at: '2026-12-05T10:00:00Z', version: 4 })] }),
      ],
      [`GET ${agreementsPath}`]: () => Response.json([]),
      [`PATCH ${diaryPath}`]: () => Response.json(entry({ body: 'Saapui ajoissa.', version: 4 })),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const diary = await screen.findByTestId('diary', {}, { timeout: 5_000 });
    await user.click(within(diary).getByRole('button', { name: fi.clientActions.diary.editFor.replace('{{date}}', '3.12.2026') }));
    const form = within(diary).getByRole('form', { name: fi.clientActions.diary.editTitle.replace('{{date}}', '3.12.2026') });
    expect(within(form).getByText(fi.clientActions.diary.correctionHelp)).toBeVisible();
    const text = within(form).getByLabelText(fi.clientActions.diary.text, { exact: false });
    await user.clear(text);
    await user.type(text, 'Saapui ajoissa.');
    await user.click(within(form).getByRole('button', { name: fi.clientActions.diary.saveCorrection }));
    // No reason: not sent, the reason field says why.
    expect(within(form).getByLabelText(fi.clientActions.diary.reason, { exact: false })).toHaveAttribute('aria-invalid', 'true');
    expect(api.count(`PATCH ${diaryPath}`)).toBe(0);

    await user.type(within(form).getByLabelText(fi.clientActions.diary.reason, { exact: false }), 'Kirjoitusvirhe');
    await user.click(within(form).getByRole('button', { name: fi.clientActions.diary.saveCorrection }));
    expect(await within(diary).findByText('Saapui ajoissa.')).toBeVisible();
    const patch = api.calls.find((request) => request.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"3"');
    expect(await patch?.json()).toEqual({ body: 'Saapui ajoissa.', reason: 'Kirjoitusvirhe' });
  });

  it("shows the server's field errors of a correction beside their fields", async () => {
    fakeApi({
      ...pageRoutes,
      [`GET /api/v1/periods/${periodId}/page`]: periodPage({ diary: [entry({ editable_until: '2099-01-01T00:00:00Z' })] }),
      [`GET ${agreementsPath}`]: () => Response.json([]),
      [`PATCH ${diaryPath}`]: () =>
        problem(422, 'validation', [{ field: 'reason', code: 'required', message: 'The edit window has passed.' }]),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const diary = await screen.findByTestId('diary', {}, { timeout: 5_000 });
    await user.click(within(diary).getByRole('button', { name: fi.clientActions.diary.editFor.replace('{{date}}', '3.12.2026') }));
    const form = within(diary).getByRole('form', { name: fi.clientActions.diary.editTitle.replace('{{date}}', '3.12.2026') });
    await user.type(within(form).getByLabelText(fi.clientActions.diary.text, { exact: false }), ' Lisäys.');
    await user.click(within(form).getByRole('button', { name: fi.clientActions.diary.save }));
    expect(await within(form).findByText(fi.errors.codes.required)).toBeVisible();
    expect(within(form).getByLabelText(fi.clientActions.diary.reason, { exact: false })).toHaveAttribute('aria-invalid', 'true');
  });

  it('marks an entry sensitive only for a user with the grant', async () => {
    const api = fakeApi({
      ...pageRoutes,
      'GET /api/v1/auth/me': meResponse({
        permissions: ['clients_read_own_units', 'clients_write_own_units', 'sensitive_history'],
      }),
      [`GET /api/v1/periods/${periodId}/page`]: [
        periodPage({ diary: [entry({ editable_until: '2099-01-01T00:00:00Z' })] }),
        periodPage({ diary: [entry({ editable_until: '2099-01-01T00:00:00Z', sensitive: true, version: 4 })] }),
      ],
      [`GET ${agreementsPath}`]: () => Response.json([]),
      [`PATCH ${diaryPath}`]: () => Response.json(entry({ sensitive: true, version: 4 })),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const diary = await screen.findByTestId('diary', {}, { timeout: 5_000 });
    await user.click(within(diary).getByRole('button', { name: fi.clientActions.diary.editFor.replace('{{date}}', '3.12.2026') }));
    const form = within(diary).getByRole('form', { name: fi.clientActions.diary.editTitle.replace('{{date}}', '3.12.2026') });
    await user.click(within(form).getByRole('checkbox', { name: fi.clientActions.diary.markSensitive }));
    await user.click(within(form).getByRole('button', { name: fi.clientActions.diary.save }));
    expect(await within(diary).findByText(fi.clientActions.diary.sensitive)).toBeVisible();
    expect(await api.calls.find((request) => request.method === 'PATCH')?.json()).toEqual({ sensitive: true });
  });

  it('does not offer the sensitive mark without the grant', async () => {
    fakeApi({
      ...pageRoutes,
      [`GET /api/v1/periods/${periodId}/page`]: periodPage({ diary: [entry({ editable_until: '2099-01-01T00:00:00Z' })] }),
      [`GET ${agreementsPath}`]: () => Response.json([]),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);
    const diary = await screen.findByTestId('diary', {}, { timeout: 5_000 });
    await user.click(within(diary).getByRole('button', { name: fi.clientActions.diary.editFor.replace('{{date}}', '3.12.2026') }));
    expect(within(diary).queryByRole('checkbox', { name: fi.clientActions.diary.markSensitive })).not.toBeInTheDocument();
  });

  it('ends a signed agreement with a date and a reason, the server refusing an early date beside the field', async () => {
    const api = fakeApi({
      ...pageRoutes,
      [`GET /api/v1/periods/${periodId}/page`]: periodPage(),
      [`GET ${agreementsPath}`]: [() => Response.json([agreement('signed')]), () => Response.json([agreement('signed')]), () => Response.json([agreement('ended')])],
      [`PATCH ${agreementsPath}/${agreementId}`]: [
        () => problem(422, 'validation', [{ field: 'ended_on', code: 'before_signed', message: 'Before signing.' }]),
        () => Response.json(agreement('ended')),
      ],
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const section = await screen.findByTestId('agreements', {}, { timeout: 5_000 });
    await user.click(await within(section).findByRole('button', { name: fi.clientActions.agreementEnd.open }));
    const dialog = await screen.findByRole('dialog', { name: fi.clientActions.agreementEnd.title });
    await user.click(within(dialog).getByRole('button', { name: fi.clientActions.agreementEnd.confirm }));
    expect(within(dialog).getByText(fi.clientActions.agreementEnd.errors.required)).toBeVisible();
    expect(api.count(`PATCH ${agreementsPath}/${agreementId}`)).toBe(0);

    await user.type(within(dialog).getByLabelText(fi.clientActions.agreementEnd.reason, { exact: false }), 'Asiakas muutti');
    await user.click(within(dialog).getByRole('button', { name: fi.clientActions.agreementEnd.confirm }));
    expect(await within(dialog).findByText(fi.clientActions.agreementEnd.errors.before_signed)).toBeVisible();

    await user.click(within(dialog).getByRole('button', { name: fi.clientActions.agreementEnd.confirm }));
    expect(await within(section).findByTestId('agreement-ended')).toHaveTextContent('Asiakas muutti');
    const patch = api.calls.filter((request) => request.method === 'PATCH').at(-1);
    expect(patch?.headers.get('If-Match')).toBe('"2"');
    expect(await patch?.json()).toMatchObject({ state: 'ended', end_reason: 'Asiakas muutti' });
  });
});
