import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { period as periodOf, periodId, periodPage, signedIn } from '@/testing/fixtures';
import { fakeApi, renderApp } from '@/testing/test-utils';

const period = periodOf({
  planned_end_on: '2026-12-13',
  weekdays: [1, 2, 3, 4, 5],
  days_per_week: 5,
  hours_per_day: 4.5,
  warnings: [{ code: 'ktt_days_per_week', field: 'days_per_week', message: 'KTT is 1-4 days a week.' }],
});
const entry = (body: string) => ({
  id: `00000000-0000-7000-8000-${String(body.length).padStart(12, '0')}`,
  period_id: periodId,
  entry_date: '2026-12-03',
  body,
  sensitive: false,
  created_at: '2026-12-03T10:00:00Z',
  updated_at: '2026-12-03T10:00:00Z',
  editable_until: '2026-12-10T10:00:00Z',
  version: 1,
});
const report = (state: 'draft' | 'final', version: number) => ({
  id: '00000000-0000-7000-8000-0000000000r1',
  period_id: periodId,
  kind: 'final',
  series_id: '00000000-0000-7000-8000-0000000000s1',
  version_no: 1,
  state,
  sections: { recommendation: state === 'final' ? 'Koulutukseen.' : null },
  updated_at: '2026-12-03T10:00:00Z',
  version,
});

const page = (diary: ReturnType<typeof entry>[]) =>
  periodPage({
    period,
    goals: [{ id: 'g1', period_id: periodId, position: 1, title: 'Päivärytmi', status: 'in_progress', follow_ups: [], version: 1 }],
    diary,
  });

const routes = {
  ...signedIn,
  'GET /api/v1/code-lists/service_type': () =>
    Response.json([
      { list: 'service_type', code: 'ktt', name_fi: 'Kuntouttava työtoiminta', name_sv: 'Arbetsverksamhet', name_en: 'Rehabilitative work', ktt_rules: true, national: true, active: true, position: 1 },
    ]),
};

describe('the period page', () => {
  it('shows the period with its rule warnings and goals, and saves a diary entry with Ctrl+Enter', async () => {
    const api = fakeApi({
      ...routes,
      [`GET /api/v1/periods/${periodId}/page`]: [page([]), page([entry('Saapui ajoissa.')])],
      [`POST /api/v1/periods/${periodId}/diary`]: () => Response.json(entry('Saapui ajoissa.'), { status: 201 }),
      [`GET /api/v1/periods/${periodId}/reports`]: () => Response.json([]),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Kuntouttava työtoiminta' }, { timeout: 5_000 }),
    ).toBeVisible();
    expect(screen.getByText('5 pv/vko, 4,5 h/pv')).toBeVisible();
    expect(within(screen.getByTestId('rule-warnings')).getByText(fi.periods.warnings.ktt_days_per_week)).toBeVisible();
    const goal = screen.getByText('Päivärytmi').closest('li');
    expect(goal).not.toBeNull();
    expect(within(goal as HTMLElement).getByText(fi.periods.goals.statuses.in_progress)).toBeVisible();
    expect(screen.getByText(fi.periods.diary.empty)).toBeVisible();

    const textarea = screen.getByRole('textbox', { name: fi.periods.diary.new });
    await user.type(textarea, 'Saapui ajoissa.');
    await user.keyboard('{Control>}{Enter}{/Control}');

    expect(await within(screen.getByTestId('diary')).findByText('Saapui ajoissa.')).toBeVisible();
    await waitFor(() => {
      expect(textarea).toHaveValue('');
    });
    const posted: unknown = await api.calls.find((r) => r.method === 'POST' && r.url.endsWith('/diary'))?.json();
    expect(posted).toMatchObject({ body: 'Saapui ajoissa.', sensitive: false });
  });

  it('finalises a final statement only after a confirmation, saving what was typed first', async () => {
    const api = fakeApi({
      ...routes,
      [`GET /api/v1/periods/${periodId}/page`]: page([]),
      [`GET /api/v1/periods/${periodId}/reports`]: [() => Response.json([report('draft', 1)]), () => Response.json([report('final', 3)])],
      [`PATCH /api/v1/periods/${periodId}/reports/00000000-0000-7000-8000-0000000000r1`]: () => Response.json(report('draft', 2)),
      [`POST /api/v1/periods/${periodId}/reports/00000000-0000-7000-8000-0000000000r1/finalise`]: () =>
        Response.json(report('final', 3)),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const card = await screen.findByTestId('report-final', {}, { timeout: 5_000 });
    await user.type(within(card).getByLabelText(fi.periods.reports.sections.recommendation), 'Koulutukseen.');
    await user.click(within(card).getByRole('button', { name: fi.periods.reports.finalise }));
    const dialog = await screen.findByRole('dialog', { name: fi.periods.reports.confirmTitle });
    expect(api.count(`POST /api/v1/periods/${periodId}/reports/00000000-0000-7000-8000-0000000000r1/finalise`)).toBe(0);

    await user.click(within(dialog).getByRole('button', { name: fi.periods.reports.finaliseConfirm }));

    expect(await within(screen.getByTestId('report-final')).findByText(fi.periods.reports.states.final)).toBeVisible();
    const patch = api.calls.find((r) => r.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"1"');
    expect(await patch?.json()).toEqual({ sections: { recommendation: 'Koulutukseen.' } });
    const finalise = api.calls.find((r) => r.url.endsWith('/finalise'));
    expect(finalise?.headers.get('If-Match')).toBe('"2"');
  });

  it('searches the whole diary on the server by words and dates', async () => {
    const api = fakeApi({
      ...routes,
      [`GET /api/v1/periods/${periodId}/page`]: page([entry('Saapui ajoissa.')]),
      [`GET /api/v1/periods/${periodId}/reports`]: () => Response.json([]),
      [`GET /api/v1/periods/${periodId}/diary`]: () =>
        Response.json({ items: [entry('Keskusteltiin trukkikortista syyskuussa.')], next_cursor: null }),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);
    const diary = await screen.findByTestId('diary', {}, { timeout: 5_000 });
    expect(within(diary).getByText('Saapui ajoissa.')).toBeVisible();

    await user.type(within(diary).getByRole('searchbox', { name: fi.periods.diary.search }), 'trukki');
    await user.type(within(diary).getByLabelText(fi.periods.diary.from), '1.9.2026');
    await user.tab();

    expect(await within(diary).findByText('Keskusteltiin trukkikortista syyskuussa.')).toBeVisible();
    expect(within(diary).queryByText('Saapui ajoissa.')).toBeNull();
    await waitFor(() => {
      const searched = api.calls.filter((request) => request.url.includes('/diary?')).map((request) => new URL(request.url).searchParams);
      expect(searched.some((params) => params.get('q') === 'trukki' && params.get('from') === '2026-09-01')).toBe(true);
    });
  });
});
