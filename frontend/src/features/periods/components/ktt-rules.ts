// The rules of kuntouttava työtoiminta as the server applies them (backend/src/periods/rules.rs),
// so the edit form can warn while the schedule is being changed. The server stays the
// authority: a saved period shows the warnings it answered with.

import type { RuleWarning } from '../api/types';

/** Shortest period the Act allows, in months. */
const MIN_MONTHS = 3;
/** Longest period before the activation plan must be reviewed, in months. */
const MAX_MONTHS = 24;

/** What the rules look at; days `YYYY-MM-DD`. */
export interface Schedule {
  startsOn: string;
  plannedEndOn: string | null;
  endsOn: string | null;
  daysPerWeek: number | null;
  hoursPerDay: number | null;
}

/** `isoDate` plus `months`, on the month's last day when it has no such day (as chrono's `checked_add_months`). */
export function addCalendarMonths(isoDate: string, months: number): string {
  const [year = 0, month = 1, day = 1] = isoDate.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

const warning = (code: string, field: string): RuleWarning => ({ code, field, message: '' });

/** The warnings of a KTT period's schedule on `today`, in the server's order and with its codes. */
export function kttWarnings(schedule: Schedule, today: string): RuleWarning[] {
  const out: RuleWarning[] = [];
  const reviewDue = addCalendarMonths(schedule.startsOn, MAX_MONTHS);
  const end = schedule.plannedEndOn ?? schedule.endsOn;
  if (end) {
    if (end < addCalendarMonths(schedule.startsOn, MIN_MONTHS)) out.push(warning('ktt_period_too_short', 'planned_end_on'));
    if (end > reviewDue) out.push(warning('ktt_period_too_long', 'planned_end_on'));
  }
  const days = schedule.daysPerWeek;
  if (days !== null && (days < 1 || days > 4)) out.push(warning('ktt_days_per_week', 'days_per_week'));
  const hours = schedule.hoursPerDay;
  if (hours !== null) {
    if (hours < 4) out.push(warning('ktt_hours_per_day_min', 'hours_per_day'));
    if (hours > 8) out.push(warning('ktt_hours_per_day_max', 'hours_per_day'));
    if (days !== null && days * hours > 32) out.push(warning('ktt_hours_per_week', 'hours_per_day'));
  }
  if (schedule.endsOn === null && today >= reviewDue) out.push(warning('ktt_activation_plan_review', 'starts_on'));
  return out;
}
