import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { periodId, periodPage, signedIn } from '@/testing/fixtures';
import { fakeApi, renderApp } from '@/testing/test-utils';

const instrumentId = '00000000-0000-7000-8000-0000000000i1';
const criteria = [
  { id: '00000000-0000-7000-8000-0000000000k1', position: 1, name_fi: 'Täsmällisyys', name_sv: 'Punktlighet', name_en: 'Punctuality' },
  { id: '00000000-0000-7000-8000-0000000000k2', position: 2, name_fi: 'Yhteistyö', name_sv: 'Samarbete', name_en: 'Cooperation' },
].map((criterion) => ({
  ...criterion,
  scale_min: 1,
  scale_max: 5,
  steps: [
    { value: 1, fi: 'heikko', sv: 'svag', en: 'weak' },
    { value: 5, fi: 'erinomainen', sv: 'utmärkt', en: 'excellent' },
  ],
}));
const chart = (points: number) => () =>
  Response.json({
    instrument_id: instrumentId,
    series: criteria.map((criterion, index) => ({
      criterion_id: criterion.id,
      name_fi: criterion.name_fi,
      name_sv: criterion.name_sv,
      name_en: criterion.name_en,
      scale_min: 1,
      scale_max: 5,
      points: [
        { date: '2026-10-01', score: 2 + index, assessor: 'coach' },
        ...(points > 1 ? [{ date: '2026-12-03', score: 4 + index, assessor: 'coach' }] : []),
      ],
    })),
  });

describe('assessments on the period page', () => {
  it('records a score for every criterion of the instrument and shows the scores over time', async () => {
    const api = fakeApi({
      ...signedIn,
      [`GET /api/v1/periods/${periodId}/page`]: periodPage(),
      'GET /api/v1/assessment-instruments': () =>
        Response.json([
          { id: instrumentId, code: 'tyossa_oppiminen', name_fi: 'Työssä oppiminen', name_sv: 'Lärande i arbetet', name_en: 'Learning at work', active: true, criteria },
        ]),
      [`GET /api/v1/periods/${periodId}/assessments/chart`]: [chart(1), chart(2)],
      [`POST /api/v1/periods/${periodId}/assessments`]: () =>
        Response.json({ id: 'a1', period_id: periodId, instrument_id: instrumentId, assessed_on: '2026-12-03', assessor: 'coach', scores: [] }, { status: 201 }),
    });
    const user = userEvent.setup();
    renderApp(`/periods/${periodId}`);

    const section = await screen.findByTestId('assessments', {}, { timeout: 5_000 });
    const table = await within(section).findByTestId('assessment-scores');
    expect(within(table).getByRole('rowheader', { name: 'Täsmällisyys (1–5)' })).toBeVisible();

    await user.click(within(section).getByRole('button', { name: fi.periods.assessments.new }));
    const form = await within(section).findByRole('form', { name: fi.periods.assessments.new });
    const save = within(form).getByRole('button', { name: fi.periods.assessments.save });
    // Every criterion needs its score.
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Täsmällisyys' }), '4');
    expect(save).toBeDisabled();
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Yhteistyö' }), '5');
    expect(within(within(form).getByRole('combobox', { name: 'Yhteistyö' })).getByRole('option', { name: '5 – erinomainen' })).toBeInTheDocument();
    await user.click(save);

    await waitFor(() => {
      expect(within(screen.getByTestId('assessment-scores')).getAllByRole('columnheader')).toHaveLength(3);
    });
    const posted = (await api.calls.find((request) => request.method === 'POST' && request.url.endsWith('/assessments'))?.json()) as Record<string, unknown>;
    expect(posted).toMatchObject({
      instrument_id: instrumentId,
      assessor: 'coach',
      notes: null,
      scores: [
        { criterion_id: criteria[0]?.id, score: 4 },
        { criterion_id: criteria[1]?.id, score: 5 },
      ],
    });
  });
});
