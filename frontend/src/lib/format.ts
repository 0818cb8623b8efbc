// Dates and numbers are shown in Finnish formats whatever the UI language (3.12.2026, 1 234,5),
// and calendar days and times in Helsinki time, as the API means them.
const timeZone = 'Europe/Helsinki';

const dateFormat = new Intl.DateTimeFormat('fi-FI', { day: 'numeric', month: 'numeric', year: 'numeric', timeZone });
const dateTimeFormat = new Intl.DateTimeFormat('fi-FI', {
  day: 'numeric',
  month: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone,
});
const numberFormat = new Intl.NumberFormat('fi-FI');

/** A calendar date `YYYY-MM-DD` as `3.12.2026` (no time-zone shift: it is a day, not an instant). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const [, year, month, day] = match;
  return `${Number(day)}.${Number(month)}.${year}`;
}

/** An RFC 3339 instant as a Helsinki date, `3.12.2026`. */
export function formatInstantDate(instant: string | null | undefined): string {
  return instant ? dateFormat.format(new Date(instant)) : '';
}

/** An RFC 3339 instant as a Helsinki date and time, `3.12.2026 klo 14.05`. */
export function formatDateTime(instant: string | null | undefined): string {
  return instant ? dateTimeFormat.format(new Date(instant)) : '';
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Today in Helsinki as `YYYY-MM-DD`. */
export function todayIso(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
  return parts;
}
