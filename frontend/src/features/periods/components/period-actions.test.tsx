import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import fi from '@/locales/fi.json';
import { client, clientId, period as periodOf, periodId, periodPage, signedIn } from '@/testing/fixtures';
import { fakeApi, problem, renderApp } from '@/testing/test-utils';

const periodPath = `/api/v1/periods/${periodId}`;
const goalId = '00000000-0000-7000-8000-0000000000g1';

const codeValue = (list: string, code: string, name: string, extra: Record<string, unknown> = {}) => ({
  list, code, name_fi: name, name_sv: name, name_en: name, ktt_rules: false, national: true, active: true, position: 1, ...extra,
});
const codeLists = {
  'GET /api/v1/code-lists/service_type': () =>
    Response.json([codeValue('service_type', 'ktt', 'Kuntouttava työtoiminta', { ktt_rules: true }), codeValue('service_type', 'valmennus', 'Valmennus')]),
  'GET /api/v1/code-lists/referrer': () => Response.json([codeValue('referrer', 'te_office', 'TE-toimisto')]),
  'GET /api/v1/code-lists/outcome': () =>
    Response.json([
      codeValue('outcome', 'vocational_education', 'Ammatillinen koulutus', { parent_code: 'education' }),
      codeValue('outcome', 'open_labour_market', 'Avoimet työmarkkinat', { parent_code: 'work' }),
    ]),
  [`GET ${periodPath}/reports`]: () => Response.json([]),
  [`GET ${periodPath}/agreements`]: () => Response.json([]),
};

const open = periodOf({ planned_end_on: '2027-03-14' });
const ended = periodOf({
  planned_end_on: '2027-03-14', ends_on: '2026-12-02', outcome: 'education', outcome_code: 'vocational_education',
  closing_note: 'Aloittaa opinnot tammikuussa.', version: 2,
});

describe('period actions on the period page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a period with an outcome: checks first, shows the server’s field errors beside their fields, then the outcome', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const api = fakeApi({
      ...signedIn,
      ...codeLists,
      [`GET ${periodPath}/page`]: [periodPage({ period: open }), periodPage({ period: ended })],
      [`POST ${periodPath}/close`]: [
        () => problem(422, 'validation', [{ field: 'outcome_code', code: 'wrong_outcome', message: 'The sub-code belongs to another outcome.' }]),
        () => Response.json(ended),
      ],
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    expect(await screen.findByText(fi.periodActions.state.ongoing, {}, { timeout: 5_000 })).toBeVisible();
    await user.click(screen.getByRole('button', { name: fi.periodActions.close.button }));
    const dialog = await screen.findByRole('dialog', { name: fi.periodActions.close.title });
    expect(within(dialog).getByLabelText(fi.periodActions.close.endsOn, { exact: false })).toHaveValue('3.12.2026');

    // No outcome chosen: said beside the choice, nothing sent.
    await user.click(within(dialog).getByRole('button', { name: fi.periodActions.close.submit }));
    expect(await within(dialog).findByText(fi.periodActions.errors.outcome.required)).toBeVisible();
    expect(api.count(`POST ${periodPath}/close`)).toBe(0);

    await user.click(within(dialog).getByRole('radio', { name: fi.periodActions.outcomes.education }));
    const subCode = within(dialog).getByLabelText(fi.periodActions.fields.outcomeCode);
    // Only the education sub-codes are offered.
    expect(within(subCode).queryByRole('option', { name: 'Avoimet työmarkkinat' })).toBeNull();
    await user.selectOptions(subCode, 'vocational_education');
    await user.type(within(dialog).getByLabelText(fi.periodActions.fields.closingNote), 'Aloittaa opinnot tammikuussa.');
    await user.click(within(dialog).getByRole('button', { name: fi.periodActions.close.submit }));

    // The server's field error, beside its field.
    expect(await within(dialog).findByText(fi.periodActions.errors.outcome_code.wrong_outcome)).toBeVisible();
    expect(subCode).toHaveAttribute('aria-invalid', 'true');

    await user.click(within(dialog).getByRole('button', { name: fi.periodActions.close.submit }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    const outcome = await screen.findByTestId('period-outcome');
    expect(outcome).toHaveTextContent(`${fi.periodActions.outcomes.education}: Ammatillinen koulutus`);
    expect(outcome).toHaveTextContent('Aloittaa opinnot tammikuussa.');
    expect(screen.getByTestId('period-state')).toHaveTextContent(fi.periodActions.state.ended.replace('{{date}}', '2.12.2026'));
    expect(screen.queryByRole('button', { name: fi.periodActions.close.button })).toBeNull();
    const closes = api.calls.filter((request) => request.url.endsWith('/close'));
    expect(closes[1]?.headers.get('If-Match')).toBe('"1"');
    expect(await closes[1]?.json()).toEqual({
      ends_on: '2026-12-03', outcome: 'education', outcome_code: 'vocational_education', closing_note: 'Aloittaa opinnot tammikuussa.',
    });
  });

  it('edits the schedule with the KTT warnings live, and shows the server’s field errors beside their fields', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const saved = periodOf({
      planned_end_on: '2027-03-14', weekdays: [1, 2, 3, 4, 5], days_per_week: 5, hours_per_day: 4, workplace: 'Puutyöpaja', version: 2,
      warnings: [{ code: 'ktt_days_per_week', field: 'days_per_week', message: 'KTT is 1–4 days a week.' }],
    });
    const api = fakeApi({
      ...signedIn,
      ...codeLists,
      [`GET ${periodPath}/page`]: [periodPage({ period: open }), periodPage({ period: saved })],
      [`PATCH ${periodPath}`]: [
        () => problem(422, 'validation', [{ field: 'hours_per_day', code: 'out_of_range', message: 'Use 0.25 to 24 hours.' }]),
        () => Response.json(saved),
      ],
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    await user.click(await screen.findByRole('button', { name: fi.periodActions.edit.button }, { timeout: 5_000 }));
    const form = await screen.findByRole('form', { name: fi.periodActions.edit.title });
    const live = within(form).getByTestId('live-warnings');
    expect(live).toBeEmptyDOMElement();

    // Five weekdays: over the Act's four, said at once.
    for (const day of ['2', '4', '5']) await user.click(within(form).getByRole('checkbox', { name: fi.periods.weekdays[day as '2'] }));
    expect(within(live).getByText(fi.periods.warnings.ktt_days_per_week)).toBeVisible();
    expect(within(form).getByLabelText(fi.periods.fields.daysPerWeek)).toHaveValue('5');
    // Nine hours a day: over the day's and the week's caps too.
    const hours = within(form).getByLabelText(fi.periods.fields.hoursPerDay);
    await user.clear(hours);
    await user.type(hours, '9');
    expect(within(live).getByText(fi.periods.warnings.ktt_hours_per_day_max)).toBeVisible();
    expect(within(live).getByText(fi.periods.warnings.ktt_hours_per_week)).toBeVisible();
    await user.clear(hours);
    await user.type(hours, '4');
    expect(within(live).queryByText(fi.periods.warnings.ktt_hours_per_day_max)).toBeNull();
    await user.type(within(form).getByLabelText(fi.periodActions.fields.workplace), 'Puutyöpaja');

    await user.click(within(form).getByRole('button', { name: fi.periodActions.edit.submit }));
    expect(await within(form).findByText(fi.periodActions.errors.hours_per_day.out_of_range)).toBeVisible();
    expect(hours).toHaveAttribute('aria-invalid', 'true');

    await user.click(within(form).getByRole('button', { name: fi.periodActions.edit.submit }));
    await waitFor(() => {
      expect(screen.queryByRole('form', { name: fi.periodActions.edit.title })).toBeNull();
    });
    // The saved period's warnings, as the server answered.
    expect(await within(await screen.findByTestId('rule-warnings')).findByText(fi.periods.warnings.ktt_days_per_week)).toBeVisible();
    const patches = api.calls.filter((request) => request.method === 'PATCH');
    expect(patches[1]?.headers.get('If-Match')).toBe('"1"');
    expect(await patches[1]?.json()).toEqual({ workplace: 'Puutyöpaja', weekdays: [1, 2, 3, 4, 5], days_per_week: 5 });
  });

  it('changes a goal’s status with a follow-up note and shows the follow-up history', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    const goal = (status: string, version: number, followUps: unknown[]) => ({
      id: goalId, period_id: periodId, position: 1, title: 'Päivärytmi', status, follow_ups: followUps, version,
    });
    const earlier = { id: 'f1', noted_on: '2026-11-01', note: 'Myöhästyi kahdesti.', created_at: '2026-11-01T12:00:00Z' };
    const later = { id: 'f2', noted_on: '2026-12-03', note: 'Saapuu ajoissa joka päivä.', created_at: '2026-12-03T10:00:00Z' };
    const api = fakeApi({
      ...signedIn,
      ...codeLists,
      [`GET ${periodPath}/page`]: [
        periodPage({ period: open, goals: [goal('in_progress', 1, [earlier])] }),
        periodPage({ period: open, goals: [goal('achieved', 2, [earlier])] }),
        periodPage({ period: open, goals: [goal('achieved', 2, [earlier, later])] }),
      ],
      [`PATCH ${periodPath}/goals/${goalId}`]: () => Response.json(goal('achieved', 2, [earlier])),
      [`POST ${periodPath}/goals/${goalId}/follow-ups`]: [
        () => problem(422, 'validation', [{ field: 'note', code: 'too_long', message: 'Use at most 4000 characters.' }]),
        () => Response.json(later, { status: 201 }),
      ],
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const item = await screen.findByTestId('goal', {}, { timeout: 5_000 });
    expect(within(within(item).getByTestId('follow-ups')).getByText('Myöhästyi kahdesti.')).toBeVisible();
    await user.click(within(item).getByRole('button', { name: fi.periodActions.goals.updateFor.replace('{{title}}', 'Päivärytmi') }));
    const form = await within(item).findByRole('form', { name: fi.periodActions.goals.updateFor.replace('{{title}}', 'Päivärytmi') });

    // Nothing changed, nothing written: said beside the note.
    await user.click(within(form).getByRole('button', { name: fi.periodActions.goals.save }));
    expect(await within(form).findByText(fi.periodActions.errors.note.nothing_to_save)).toBeVisible();
    expect(api.calls.filter((request) => request.method !== 'GET' && !request.url.includes('/auth/'))).toHaveLength(0);

    await user.selectOptions(within(form).getByLabelText(fi.periods.goals.status), 'achieved');
    await user.type(within(form).getByLabelText(fi.periodActions.goals.followUp), 'Saapuu ajoissa joka päivä.');
    await user.click(within(form).getByRole('button', { name: fi.periodActions.goals.save }));
    // The note's server error beside the note (the status was saved).
    expect(await within(form).findByText(fi.errors.codes.too_long)).toBeVisible();

    await user.click(within(form).getByRole('button', { name: fi.periodActions.goals.save }));
    await waitFor(() => {
      expect(within(screen.getByTestId('goal')).queryByRole('form')).toBeNull();
    });
    const history = within(screen.getByTestId('goal')).getByTestId('follow-ups');
    expect(await within(history).findByText('Saapuu ajoissa joka päivä.')).toBeVisible();
    expect(within(screen.getByTestId('goal')).getByText(fi.periods.goals.statuses.achieved)).toBeVisible();
    const patch = api.calls.find((request) => request.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"1"');
    expect(await patch?.json()).toEqual({ status: 'achieved' });
    const posted = api.calls.filter((request) => request.url.endsWith('/follow-ups'));
    expect(await posted[1]?.json()).toEqual({ note: 'Saapuu ajoissa joka päivä.', noted_on: '2026-12-03' });
  });
});

describe('an ended period on the client’s page', () => {
  it('shows its end and where the client went', async () => {
    fakeApi({
      ...signedIn,
      ...codeLists,
      [`GET /api/v1/clients/${clientId}`]: () => Response.json(client()),
      [`GET /api/v1/clients/${clientId}/periods`]: () => Response.json([ended]),
    });
    renderApp(`/clients/${clientId}`);

    const periods = await screen.findByTestId('periods', {}, { timeout: 5_000 });
    const row = (await within(periods).findByText('2.12.2026')).closest('tr');
    expect(row).not.toBeNull();
    expect(within(row as HTMLElement).getByText(`${fi.periodActions.outcomes.education}: Ammatillinen koulutus`)).toBeVisible();
  });
});
