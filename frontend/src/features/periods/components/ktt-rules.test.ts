import { describe, expect, it } from 'vitest';

import { addCalendarMonths, kttWarnings, type Schedule } from './ktt-rules';

// The same cases as the server's own (backend/src/periods/rules.rs), so the two agree.
const schedule = (days: number, hours: number, end: string | null): Schedule => ({
  startsOn: '2026-01-05',
  plannedEndOn: end,
  endsOn: null,
  daysPerWeek: days,
  hoursPerDay: hours,
});
const codes = (value: Schedule, today: string) => kttWarnings(value, today).map((warning) => warning.code);

describe('the KTT rules in the browser', () => {
  it('has no warnings for a schedule within the Act', () => {
    for (const [days, hours] of [
      [1, 4],
      [4, 8],
      [3, 6.5],
    ] as const) {
      expect(codes(schedule(days, hours, '2026-07-05'), '2026-02-01')).toEqual([]);
    }
  });

  it('names each broken rule as the server does', () => {
    const today = '2026-02-01';
    expect(codes(schedule(5, 6, null), today)).toEqual(['ktt_days_per_week']);
    expect(codes(schedule(2, 3.5, null), today)).toEqual(['ktt_hours_per_day_min']);
    expect(codes(schedule(4, 9, null), today)).toEqual(['ktt_hours_per_day_max', 'ktt_hours_per_week']);
    expect(codes(schedule(5, 7, null), today)).toEqual(['ktt_days_per_week', 'ktt_hours_per_week']);
    expect(codes(schedule(2, 6, '2026-04-04'), today)).toEqual(['ktt_period_too_short']);
    expect(codes(schedule(2, 6, '2026-04-05'), today)).toEqual([]);
    expect(codes(schedule(2, 6, '2028-01-06'), today)).toEqual(['ktt_period_too_long']);
  });

  it('asks for the activation plan review at 24 months of an open period', () => {
    const open = schedule(2, 6, null);
    expect(codes(open, '2028-01-04')).toEqual([]);
    expect(codes(open, '2028-01-05')).toEqual(['ktt_activation_plan_review']);
    expect(codes({ ...open, endsOn: '2027-01-05' }, '2028-06-01')).toEqual([]);
    expect(addCalendarMonths('2024-02-29', 24)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('has nothing to say about an unplanned schedule', () => {
    expect(kttWarnings({ startsOn: '2026-01-05', plannedEndOn: null, endsOn: null, daysPerWeek: null, hoursPerDay: null }, '2026-02-01')).toEqual([]);
  });
});
