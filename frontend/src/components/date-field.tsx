import { DateInput, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

/**
 * A typed `d.M.yyyy` (3.12.2026, also 3.12.26 or ISO) as a calendar day `YYYY-MM-DD`; null when
 * it is no real date. Finnish dates are written so whatever the UI language.
 */
export function parseFinnishDate(input: string): string | null {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const finnish = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  let year: number;
  let month: number;
  let day: number;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (finnish) {
    [day, month, year] = [Number(finnish[1]), Number(finnish[2]), Number(finnish[3])];
    // Two digits: this century up to the current year, the last before.
    if (finnish[3]?.length === 2) year += year <= new Date().getFullYear() % 100 ? 2000 : 1900;
  } else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange' | 'minDate' | 'maxDate' | 'defaultValue'> & {
  /** `YYYY-MM-DD`, or '' for none. */
  value: string;
  onChange: (value: string) => void;
  min?: string | undefined;
  max?: string | undefined;
};

/**
 * A date field shown and typed the Finnish way (`3.12.2026`) with a calendar in the UI language
 * (Monday first); its value is the calendar day `YYYY-MM-DD` the API takes.
 */
export function DateField({ value, onChange, min, max, ...props }: DateFieldProps) {
  const { t } = useTranslation();
  return (
    <DateInput
      valueFormat="D.M.YYYY"
      dateParser={parseFinnishDate}
      placeholder={t('common.datePlaceholder')}
      value={value || null}
      onChange={(next) => {
        onChange(next ?? '');
      }}
      {...(min ? { minDate: min } : {})}
      {...(max ? { maxDate: max } : {})}
      popoverProps={{ withinPortal: true }}
      // Erasing the text empties the field (an optional date can be taken away).
      allowDeselect
      {...props}
    />
  );
}
