// Calendar days as `YYYY-MM-DD` strings, computed in UTC so no time zone moves a day.

function toDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(toDate(value).getTime());
}

/** `isoDate` moved by `days` (negative: back). */
export function addDays(isoDate: string, days: number): string {
  const date = toDate(isoDate);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The month `YYYY-MM` moved by `months`. */
export function addMonths(month: string, months: number): string {
  const date = toDate(`${month}-01`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 7);
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(isoDate: string): number {
  return ((toDate(isoDate).getUTCDay() + 6) % 7) + 1;
}

const locales: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** The weekday's name in the UI language ("torstai"). */
export function weekdayName(isoDate: string, language: string | undefined): string {
  return new Intl.DateTimeFormat(locales[language ?? 'fi'] ?? 'fi-FI', { weekday: 'long', timeZone: 'UTC' }).format(
    toDate(isoDate),
  );
}

/** The month's name and year in the UI language ("joulukuu 2026"). */
export function monthName(month: string, language: string | undefined): string {
  return new Intl.DateTimeFormat(locales[language ?? 'fi'] ?? 'fi-FI', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    toDate(`${month}-01`),
  );
}
