import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { clientId, period, periodId, periodPage, signedIn, unitId } from '@/testing/fixtures';
import { fakeApi, me, renderApp } from '@/testing/test-utils';

// Each test says who is signed in (its own `GET /api/v1/auth/me`).
const base = {
  ...signedIn,
  'GET /api/v1/units': () => Response.json({ items: [{ id: unitId, name: 'Pajat', version: 1 }], next_cursor: null }),
};

const regularity = (presentDays: number, percentage: number | null) => ({
  from: '2026-12-01',
  to: '2026-12-31',
  planned_days: 12,
  planned_days_to_date: 2,
  present_days: presentDays,
  present_hours: presentDays * 4.5,
  absent_days: 1,
  absences: { sick: 1, authorised: 0, unauthorised: 0, holiday: 0, other: 0 },
  attendance_percentage: percentage,
  unmarked_planned_days: 0,
});

const december = () =>
  Response.json({
    month: '2026-12',
    regularity: regularity(1, 50),
    days: Array.from({ length: 31 }, (_, index) => {
      const date = `2026-12-${String(index + 1).padStart(2, '0')}`;
      const record =
        index === 0
          ? { status: 'present', hours: 4.5 }
          : index === 1
            ? { status: 'absent', absence_reason: 'sick' }
            : null;
      return {
        date,
        holiday: index === 5 ? { code: 'independence_day', name: 'Itsenäisyyspäivä' } : null,
        periods: [
          {
            period_id: periodId,
            planned: [0, 1, 3].includes(index),
            record: record && {
              id: `00000000-0000-7000-8000-00000000r${String(index).padStart(3, '0')}`,
              period_id: periodId,
              client_id: clientId,
              date,
              recorded_at: `${date}T08:00:00Z`,
              updated_at: `${date}T08:00:00Z`,
              version: 1,
              ...record,
            },
          },
        ],
      };
    }),
  });

describe('attendance on the period page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the month with holidays, planned days and marks, the month and whole-period figures, and moves by month', async () => {
    const api = fakeApi({
      ...base,
      'GET /api/v1/auth/me': me(),
      [`GET /api/v1/periods/${periodId}/page`]: periodPage({
        period: period({ planned_end_on: '2026-12-13', weekdays: [1, 3, 5], days_per_week: 3, hours_per_day: 4.5 }),
      }),
      [`GET /api/v1/periods/${periodId}/reports`]: () => Response.json([]),
      [`GET /api/v1/periods/${periodId}/attendance`]: december,
      [`GET /api/v1/periods/${periodId}/regularity`]: () =>
        Response.json({ subject_id: periodId, periods: [], total: regularity(30, 88.2) }),
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const month = await screen.findByTestId('month-calendar', {}, { timeout: 5_000 });
    expect(within(month).getByTestId('day-2026-12-06')).toHaveTextContent(fi.attendance.holidays.independence_day);
    expect(within(month).getByTestId('day-2026-12-01')).toHaveTextContent(`${fi.attendance.status.present} 4,5 h`);
    expect(within(month).getByTestId('day-2026-12-02')).toHaveTextContent(`${fi.attendance.status.absent}: ${fi.attendance.reasons.sick}`);
    expect(within(month).getByTestId('day-2026-12-04')).toHaveTextContent(fi.attendance.calendar.planned);
    expect(within(month).getByTestId('day-2026-12-05')).not.toHaveTextContent(fi.attendance.calendar.planned);

    const whole = await screen.findByTestId('period-regularity');
    await waitFor(() => {
      expect(whole).toHaveTextContent('88,2 %');
    });
    const regularityCall = api.calls.find((request) => request.url.includes('/regularity'));
    expect(new URL(regularityCall?.url ?? '').search).toBe('?from=2026-09-14&to=2026-12-13');
    const monthFigures = screen.getAllByTestId('regularity').find((element) => !whole.contains(element));
    expect(monthFigures).toHaveTextContent('50 %');
    expect(monthFigures).toHaveTextContent(`${fi.attendance.reasons.sick} 1`);

    await user.click(screen.getByRole('button', { name: `← ${fi.attendance.calendar.previous}` }));
    await waitFor(() => {
      expect(api.calls.some((request) => request.url.endsWith('/attendance?month=2026-11'))).toBe(true);
    });
  });
});

describe('the allowance report', () => {
  it('is offered to those with the permission, and its CSV is fetched with the token', async () => {
    const report = {
      month: '2026-12', unit_id: null, rate_cents: 900, participation_days: 6, payable_days: 5, total_cents: 4500,
      rows: [
        {
          client_id: clientId, period_id: periodId, unit_id: unitId, service_type: 'ktt', last_name: 'Mäkinen', first_names: 'Aino',
          participation_days: 6, payable_days: 5, rate_cents: 900, total_cents: 4500,
        },
      ],
    };
    const api = fakeApi({
      ...base,
      'GET /api/v1/auth/me': me({ roles: ['manager'], permissions: ['units_read', 'clients_read_all', 'allowances_read'] }),
      'GET /api/v1/allowances': (request) =>
        new URL(request.url).searchParams.get('format') === 'csv'
          ? new Response('sukunimi;etunimet\nMäkinen;Aino\n', { headers: { 'Content-Type': 'text/csv' } })
          : Response.json(report),
    });
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:report';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const user = userEvent.setup();
    renderApp('/allowances');

    const table = await screen.findByTestId('allowances', {}, { timeout: 5_000 });
    expect(await within(table).findByRole('rowheader', { name: 'Mäkinen, Aino' })).toBeVisible();
    expect(within(table).getAllByText(/45,00\s€/)).toHaveLength(2);
    expect(screen.getByRole('navigation').querySelector('a[href="/allowances"]')).not.toBeNull();

    await user.click(screen.getByRole('button', { name: fi.allowances.downloadCsv }));
    await waitFor(() => {
      expect(clicks).toHaveBeenCalledTimes(1);
    });
    const csv = api.calls.find((request) => new URL(request.url).searchParams.get('format') === 'csv');
    expect(csv?.headers.get('Authorization')).toBe('Bearer token-1');
    expect(await created[0]?.text()).toContain('Mäkinen;Aino');
  });

  it('is hidden from a coach, with the permission it needs named', async () => {
    const api = fakeApi({ ...base, 'GET /api/v1/auth/me': me() });
    renderApp('/allowances');
    expect(await screen.findByTestId('missing-permission', {}, { timeout: 5_000 })).toHaveTextContent(fi.permissions.allowances_read);
    expect(screen.getByRole('navigation').querySelector('a[href="/allowances"]')).toBeNull();
    expect(screen.getByRole('navigation').querySelector('a[href="/attendance"]')).not.toBeNull();
    expect(api.count('GET /api/v1/allowances')).toBe(0);
  });
});

describe('the attendance page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lists the user's groups with today's sheets and the unit's month of regularity", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const api = fakeApi({
      ...base,
      'GET /api/v1/auth/me': me(),
      'GET /api/v1/attendance-groups': () =>
        Response.json([{ id: '00000000-0000-7000-8000-0000000000g1', unit_id: unitId, name: 'Puutyöpaja', active_members: 12, version: 1 }]),
      [`GET /api/v1/units/${unitId}/regularity`]: () =>
        Response.json({
          subject_id: unitId,
          total: regularity(1, 50),
          periods: [
            { period_id: periodId, client_id: clientId, service_type: 'ktt', first_names: 'Aino', last_name: 'Mäkinen', regularity: regularity(1, 50) },
          ],
        }),
    });
    renderApp('/attendance');
    const groups = await screen.findByTestId('groups', {}, { timeout: 5_000 });
    expect(await within(groups).findByRole('link', { name: 'Puutyöpaja' })).toHaveAttribute(
      'href',
      '/attendance/00000000-0000-7000-8000-0000000000g1/2026-12-03',
    );
    const report = await screen.findByTestId('unit-regularity');
    expect(await within(report).findByRole('rowheader', { name: 'Mäkinen, Aino' })).toBeVisible();
    expect(within(report).getAllByText('50 %')).toHaveLength(2);
    expect(api.calls.some((request) => request.url.endsWith(`/units/${unitId}/regularity?month=2026-12`))).toBe(true);
  });
});
