import { describe, expect, it } from 'vitest';

import { period as periodOf } from '@/testing/fixtures';

import type { Period } from '../api/types';
import { checkClose, checkEdit, checkGoalUpdate, editBody, editValuesOf } from './period-forms';

const period = periodOf({ planned_end_on: '2027-03-14', referrer: 'te_office', workplace: 'Puutyöpaja' }) as Period;

describe('closing a period, checked in the browser', () => {
  const values = { endsOn: '2026-12-03', outcome: 'education', outcomeCode: '', note: '' } as const;

  it('accepts a last day between the start and today with an outcome', () => {
    expect(checkClose(values, period.starts_on, '2026-12-03')).toEqual({});
  });

  it('answers with the server’s codes', () => {
    expect(checkClose({ ...values, endsOn: '', outcome: '' }, period.starts_on, '2026-12-03')).toEqual({
      ends_on: 'required',
      outcome: 'required',
    });
    expect(checkClose({ ...values, endsOn: '2026-12-04' }, period.starts_on, '2026-12-03')).toEqual({ ends_on: 'in_future' });
    expect(checkClose({ ...values, endsOn: '2026-09-13' }, period.starts_on, '2026-12-03')).toEqual({ ends_on: 'before_start' });
    expect(checkClose({ ...values, note: 'x'.repeat(4001) }, period.starts_on, '2026-12-03')).toEqual({ closing_note: 'too_long' });
  });
});

describe('editing a period, checked in the browser', () => {
  it('sends nothing when nothing changed', () => {
    expect(checkEdit(editValuesOf(period), period)).toEqual({});
    expect(editBody(period, editValuesOf(period))).toEqual({});
  });

  it('sends only what changed, days a week from the weekdays, null for what was cleared', () => {
    const values = { ...editValuesOf(period), weekdays: ['5', '1', '3'], hoursPerDay: 6, referrer: '', workplace: ' ', reason: 'Sovittu' };
    expect(editBody(period, values)).toEqual({
      weekdays: [1, 3, 5],
      days_per_week: 3,
      hours_per_day: 6,
      referrer: null,
      workplace: null,
      reason: 'Sovittu',
    });
  });

  it('takes days a week as given when no weekdays are chosen', () => {
    const values = { ...editValuesOf(period), weekdays: [], daysPerWeek: 2 };
    expect(editBody(period, values)).toEqual({ weekdays: [] });
    expect(editBody(period, { ...values, daysPerWeek: 4 })).toEqual({ weekdays: [], days_per_week: 4 });
  });

  it('answers with the server’s codes', () => {
    const values = editValuesOf(period);
    expect(checkEdit({ ...values, weekdays: [], daysPerWeek: 8 }, period)).toEqual({ days_per_week: 'out_of_range' });
    expect(checkEdit({ ...values, hoursPerDay: 25 }, period)).toEqual({ hours_per_day: 'out_of_range' });
    expect(checkEdit({ ...values, plannedEndOn: '2026-09-01' }, period)).toEqual({ planned_end_on: 'before_start' });
    expect(checkEdit({ ...values, workplace: 'x'.repeat(201) }, period)).toEqual({ workplace: 'too_long' });
  });
});

describe('updating a goal, checked in the browser', () => {
  it('needs a new status or a note, and a note not dated ahead', () => {
    expect(checkGoalUpdate({ status: 'open', note: ' ', notedOn: '2026-12-03' }, 'open', '2026-12-03')).toEqual({ note: 'nothing_to_save' });
    expect(checkGoalUpdate({ status: 'achieved', note: '', notedOn: '2026-12-03' }, 'open', '2026-12-03')).toEqual({});
    expect(checkGoalUpdate({ status: 'open', note: 'Hyvin menee', notedOn: '2026-12-04' }, 'open', '2026-12-03')).toEqual({ noted_on: 'in_future' });
  });
});
