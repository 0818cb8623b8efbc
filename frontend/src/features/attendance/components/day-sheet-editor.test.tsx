import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { fakeApi, me, problem, readyResponse, renderApp, tokenResponse } from '@/testing/test-utils';

const groupId = '00000000-0000-7000-8000-0000000000g1';
const unitId = '00000000-0000-7000-8000-0000000000u1';
const date = '2026-12-02';
const sheetPath = `/api/v1/attendance/${groupId}/${date}`;

const person = (n: number, lastName: string, scheduled: boolean, record: Record<string, unknown> | null = null) => ({
  period_id: `00000000-0000-7000-8000-00000000p00${n}`,
  client_id: `00000000-0000-7000-8000-00000000c00${n}`,
  first_names: 'Testi',
  last_name: lastName,
  service_type: 'ktt',
  scheduled,
  planned_hours: 4,
  record: record && {
    id: `00000000-0000-7000-8000-00000000r00${n}`,
    period_id: `00000000-0000-7000-8000-00000000p00${n}`,
    client_id: `00000000-0000-7000-8000-00000000c00${n}`,
    date,
    recorded_at: '2026-12-02T08:00:00Z',
    updated_at: '2026-12-02T08:00:00Z',
    version: 1,
    ...record,
  },
  warnings: [] as { code: string; field: string; message: string }[],
});

const rows = () => [
  person(1, 'Aalto', true),
  person(2, 'Bergman', true),
  person(3, 'Hakala', true),
  person(4, 'Ström', false),
];

const sheet = (sheetRows = rows()) => () =>
  Response.json({ date, unit_id: unitId, group_id: groupId, group_name: 'Puutyöpaja', holiday: null, changed: 0, rows: sheetRows });

const routes = {
  'POST /api/v1/auth/refresh': tokenResponse(),
  'GET /api/v1/auth/me': me(),
  'GET /readyz': () => readyResponse(),
  'GET /api/v1/units': () => Response.json({ items: [{ id: unitId, name: 'Pajat', version: 1 }], next_cursor: null }),
};

const rowOf = (name: string) => {
  const row = screen.getAllByTestId('sheet-row').find((element) => element.getAttribute('aria-label')?.startsWith(name));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
};

async function putBody(api: ReturnType<typeof fakeApi>) {
  const put = api.calls.find((request) => request.method === 'PUT');
  return (await put?.json()) as { entries: Record<string, unknown>[]; reason: string | null };
}

describe('the day sheet', () => {
  // The sheet is of yesterday: presence can be marked.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks people with keys and the all-present shortcut, and saves the whole day in one PUT', async () => {
    const api = fakeApi({
      ...routes,
      [`GET ${sheetPath}`]: sheet(),
      [`PUT ${sheetPath}`]: async (request) => {
        const body = (await request.json()) as { entries: { period_id: string; status: string; hours?: number; absence_reason?: string }[] };
        const saved = rows()
          .filter((row) => body.entries.some((entry) => entry.period_id === row.period_id))
          .map((row) => {
            const entry = body.entries.find((e) => e.period_id === row.period_id);
            return { ...row, record: { ...person(0, '', true, { status: entry?.status, hours: entry?.hours ?? null, absence_reason: entry?.absence_reason ?? null }).record, period_id: row.period_id, client_id: row.client_id } };
          });
        return Response.json({ date, unit_id: unitId, group_id: groupId, group_name: 'Puutyöpaja', holiday: null, changed: saved.length, rows: saved });
      },
    });
    const user = userEvent.setup();
    renderApp(`/attendance/${groupId}/${date}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Puutyöpaja' }, { timeout: 5_000 })).toBeVisible();
    // The keys are documented on the screen.
    expect(within(screen.getByTestId('sheet-keys')).getByText(fi.attendance.keys.reasons, { exact: false })).toBeVisible();
    // The unscheduled are listed after a heading of their own.
    expect(screen.getByRole('rowheader', { name: fi.attendance.sheet.notScheduled })).toBeVisible();

    // P marks the focused row present with its planned hours and moves down; 1 is absent, ill.
    rowOf('Aalto').focus();
    await user.keyboard('p');
    expect(rowOf('Aalto')).toHaveAttribute('data-status', 'present');
    expect(within(rowOf('Aalto')).getByRole('textbox', { name: `${fi.attendance.sheet.columns.hours}: Aalto, Testi` })).toHaveValue('4');
    expect(rowOf('Bergman')).toHaveFocus();
    await user.keyboard('1');
    expect(rowOf('Bergman')).toHaveAttribute('data-status', 'absent');
    expect(within(rowOf('Bergman')).getByRole('combobox')).toHaveValue('sick');
    expect(rowOf('Hakala')).toHaveFocus();
    // k goes back up; j and arrows move too.
    await user.keyboard('k');
    expect(rowOf('Bergman')).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(rowOf('Hakala')).toHaveFocus();

    // All present marks the scheduled rows still unmarked (Hakala), not the unscheduled nor the absent.
    await user.click(screen.getByRole('button', { name: fi.attendance.sheet.allPresent_one.replace('{{count}}', '1') }));
    expect(rowOf('Hakala')).toHaveAttribute('data-status', 'present');
    expect(rowOf('Bergman')).toHaveAttribute('data-status', 'absent');
    expect(rowOf('Ström')).toHaveAttribute('data-status', 'none');
    expect(screen.getByTestId('sheet-counts')).toHaveTextContent('Merkitty 3/4');

    await user.click(screen.getByRole('button', { name: fi.attendance.sheet.save }));
    expect(await screen.findByTestId('sheet-saved')).toHaveTextContent('3 merkintää muuttui');
    expect(api.count(`PUT ${sheetPath}`)).toBe(1);
    expect(await putBody(api)).toEqual({
      entries: [
        { period_id: rows()[0]?.period_id, client_id: rows()[0]?.client_id, status: 'present', hours: 4, starts_at: null, ends_at: null, note: null },
        { period_id: rows()[1]?.period_id, client_id: rows()[1]?.client_id, status: 'absent', absence_reason: 'sick', note: null },
        { period_id: rows()[2]?.period_id, client_id: rows()[2]?.client_id, status: 'present', hours: 4, starts_at: null, ends_at: null, note: null },
      ],
      reason: null,
    });
    // Saved: nothing left unsaved.
    expect(screen.getByRole('button', { name: fi.attendance.sheet.save })).toBeDisabled();
  });

  it('shows the field errors of a refused day on the rows they belong to, with row warnings', async () => {
    const warned = rows();
    const third = warned[2];
    if (third) third.warnings = [{ code: 'ktt_hours_per_week', field: 'hours', message: 'Over 32 hours.' }];
    const api = fakeApi({
      ...routes,
      [`GET ${sheetPath}`]: sheet(warned),
      [`PUT ${sheetPath}`]: () =>
        problem(422, 'validation', [
          { field: 'entries[1].absence_reason', code: 'required', message: 'Say why the client was absent.' },
          { field: 'entries[0].hours', code: 'out_of_range', message: 'Use 0.25 to 24 hours.' },
        ]),
    });
    const user = userEvent.setup();
    renderApp(`/attendance/${groupId}/${date}`);
    await screen.findByRole('heading', { level: 1, name: 'Puutyöpaja' }, { timeout: 5_000 });
    expect(within(rowOf('Hakala')).getByTestId('row-warning')).toHaveTextContent(fi.attendance.warnings.ktt_hours_per_week);

    // Aalto present, Hakala absent without a reason (sent as is: the server decides).
    await user.click(screen.getByRole('button', { name: `${fi.attendance.status.present}: Aalto, Testi` }));
    await user.click(screen.getByRole('button', { name: `${fi.attendance.status.absent}: Hakala, Testi` }));
    await user.click(screen.getByRole('button', { name: fi.attendance.sheet.save }));

    expect(await screen.findByTestId('sheet-errors')).toHaveTextContent(fi.attendance.sheet.invalid);
    const sent = await putBody(api);
    expect(sent.entries.map((entry) => entry.period_id)).toEqual([rows()[0]?.period_id, rows()[2]?.period_id]);
    // entries[1] is Hakala (the second sent), not Bergman (the second listed).
    const reason = within(rowOf('Hakala')).getByRole('combobox', { name: `${fi.attendance.sheet.columns.reason}: Hakala, Testi` });
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(within(rowOf('Hakala')).getByText(fi.errors.fields.absence_reason.required)).toBeVisible();
    expect(within(rowOf('Aalto')).getByText(fi.errors.fields.hours.out_of_range)).toBeVisible();
    expect(within(rowOf('Bergman')).queryByText(fi.errors.fields.absence_reason.required)).toBeNull();
    expect(within(rowOf('Aalto')).queryByText(fi.errors.fields.absence_reason.required)).toBeNull();
  });

  it('offers no presence ahead of the day, but absences', async () => {
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    fakeApi({ ...routes, [`GET ${sheetPath}`]: sheet() });
    const user = userEvent.setup();
    renderApp(`/attendance/${groupId}/${date}`);
    await screen.findByRole('heading', { level: 1, name: 'Puutyöpaja' }, { timeout: 5_000 });
    expect(screen.getByRole('button', { name: fi.attendance.sheet.allPresent_other.replace('{{count}}', '3') })).toBeDisabled();
    expect(screen.getByRole('button', { name: `${fi.attendance.status.present}: Aalto, Testi` })).toBeDisabled();
    rowOf('Aalto').focus();
    await user.keyboard('p');
    expect(rowOf('Aalto')).toHaveAttribute('data-status', 'none');
    await user.keyboard('2');
    expect(rowOf('Aalto')).toHaveAttribute('data-status', 'absent');
  });

  it('asks before leaving a day with unsaved marks, and corrections ask for a reason', async () => {
    const marked = rows();
    marked[0] = person(1, 'Aalto', true, { status: 'present', hours: 4 });
    const api = fakeApi({
      ...routes,
      [`GET ${sheetPath}`]: sheet(marked),
      [`GET /api/v1/attendance/${groupId}/2026-12-01`]: () =>
        Response.json({ date: '2026-12-01', unit_id: unitId, group_id: groupId, group_name: 'Puutyöpaja', holiday: null, changed: 0, rows: [] }),
    });
    const user = userEvent.setup();
    renderApp(`/attendance/${groupId}/${date}`);
    await screen.findByRole('heading', { level: 1, name: 'Puutyöpaja' }, { timeout: 5_000 });

    // Changing a stored mark is a correction, which may be given a reason.
    rowOf('Aalto').focus();
    await user.keyboard('2');
    expect(screen.getByLabelText(fi.attendance.sheet.correctionReason)).toBeVisible();

    await user.click(screen.getByRole('link', { name: `← ${fi.attendance.sheet.previousDay}` }));
    const dialog = await screen.findByRole('dialog', { name: fi.attendance.sheet.leaveTitle });
    await user.click(within(dialog).getByRole('button', { name: fi.attendance.sheet.stay }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(rowOf('Aalto')).toHaveAttribute('data-status', 'absent');

    await user.click(screen.getByRole('link', { name: `← ${fi.attendance.sheet.previousDay}` }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: fi.attendance.sheet.leave }));
    expect(await screen.findByText(fi.attendance.sheet.empty)).toBeVisible();
    expect(api.count(`PUT ${sheetPath}`)).toBe(0);
  });
});
