import { Button, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { addMonths, isoWeekday, monthName } from '@/lib/dates';
import { translateIfExists } from '@/lib/field-errors';
import { formatDate, formatNumber, todayIso } from '@/lib/format';

import { useClientCalendar, usePeriodCalendar } from '../api/get-calendar';
import { usePeriodRegularity } from '../api/get-period-regularity';
import { absenceReasons, type Calendar, type CalendarDay, type Regularity } from '../api/types';
import classes from './attendance-month.module.css';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

function RegularityFigures({ regularity }: { regularity: Regularity }) {
  const { t } = useTranslation();
  const figures: [string, string][] = [
    [t('attendance.regularity.plannedDays'), String(regularity.planned_days)],
    [t('attendance.regularity.plannedToDate'), String(regularity.planned_days_to_date)],
    [t('attendance.regularity.presentDays'), String(regularity.present_days)],
    [t('attendance.regularity.presentHours'), formatNumber(regularity.present_hours)],
    [t('attendance.regularity.absentDays'), String(regularity.absent_days)],
    [t('attendance.regularity.unmarked'), String(regularity.unmarked_planned_days)],
    [
      t('attendance.regularity.percentage'),
      regularity.attendance_percentage == null ? '–' : `${formatNumber(Math.round(regularity.attendance_percentage * 10) / 10)} %`,
    ],
  ];
  return (
    <Stack gap="xs" data-testid="regularity">
      <SimpleGrid component="dl" cols={{ base: 2, sm: 4, md: 7 }} m={0}>
        {figures.map(([label, value]) => (
          <div key={label}>
            <Text component="dt" size="sm" c="dimmed">
              {label}
            </Text>
            <Text component="dd" m={0} fw={600}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <Text size="sm">
        {t('attendance.regularity.byReason')}:{' '}
        {absenceReasons.map((reason) => `${t(`attendance.reasons.${reason}`)} ${regularity.absences[reason]}`).join(', ')}
      </Text>
    </Stack>
  );
}

function DayCell({ day }: { day: CalendarDay }) {
  const { t } = useTranslation();
  const planned = day.periods.some((entry) => entry.planned);
  const records = day.periods.flatMap((entry) => (entry.record ? [entry.record] : []));
  return (
    <Table.Td
      className={classes.day}
      data-planned={planned || undefined}
      data-holiday={day.holiday ? true : undefined}
      data-testid={`day-${day.date}`}
    >
      <Text size="sm" fw={600}>
        {Number(day.date.slice(8))}
      </Text>
      {day.holiday && (
        <Text size="xs" c="dimmed">
          {translateIfExists(`attendance.holidays.${day.holiday.code}`) ?? day.holiday.name}
        </Text>
      )}
      {planned && (
        <Text size="xs" c="dimmed">
          {t('attendance.calendar.planned')}
        </Text>
      )}
      {records.map((record) => (
        <Text key={record.id} size="xs" fw={600} c={record.status === 'present' ? 'success.7' : 'alert.7'}>
          {record.status === 'present'
            ? `${t('attendance.status.present')}${record.hours != null ? ` ${formatNumber(record.hours)} h` : ''}`
            : `${t('attendance.status.absent')}${record.absence_reason ? `: ${t(`attendance.reasons.${record.absence_reason}`)}` : ''}`}
        </Text>
      ))}
    </Table.Td>
  );
}

/** A month as weeks of days, Monday first. */
function MonthGrid({ calendar, caption }: { calendar: Calendar; caption: string }) {
  const { t } = useTranslation();
  const first = calendar.days[0];
  if (!first) return null;
  const cells: (CalendarDay | null)[] = [...Array.from({ length: isoWeekday(first.date) - 1 }, () => null), ...calendar.days];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, week) => cells.slice(week * 7, week * 7 + 7));
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder withColumnBorders layout="fixed" data-testid="month-calendar">
        <caption className={classes.caption}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {weekdays.map((day) => (
              <Table.Th key={day} scope="col">
                {t(`attendance.weekdays.${day}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {weeks.map((week) => (
            <Table.Tr key={week.find(Boolean)?.date}>
              {week.map((day, index) => (day ? <DayCell key={day.date} day={day} /> : <Table.Td key={`empty-${index}`} />))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function MonthSection({
  title,
  month,
  onMonth,
  query,
  children,
}: {
  title: string;
  month: string;
  onMonth: (month: string) => void;
  query: UseQueryResult<Calendar>;
  children?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const name = monthName(month, i18n.resolvedLanguage);
  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm" data-testid="attendance-month">
      <Group justify="space-between" align="flex-end">
        <Title order={2} id={headingId}>
          {title}
        </Title>
        <Group gap="xs" component="nav" aria-label={t('attendance.calendar.monthNav')}>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              onMonth(addMonths(month, -1));
            }}
          >
            ← {t('attendance.calendar.previous')}
          </Button>
          <Text fw={600} aria-live="polite" miw={140} ta="center">
            {name}
          </Text>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              onMonth(addMonths(month, 1));
            }}
          >
            {t('attendance.calendar.next')} →
          </Button>
        </Group>
      </Group>
      {children}
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} permissions={['clients_read_own_units', 'clients_read_all']} />
      ) : query.data.days.every((day) => day.periods.length === 0) ? (
        <EmptyState>{t('attendance.calendar.empty')}</EmptyState>
      ) : (
        <>
          <Title order={3}>{t('attendance.regularity.month', { month: name })}</Title>
          <RegularityFigures regularity={query.data.regularity} />
          <MonthGrid calendar={query.data} caption={t('attendance.calendar.caption', { month: name })} />
        </>
      )}
    </Stack>
  );
}

function WholePeriod({ periodId, from, to }: { periodId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const regularity = usePeriodRegularity(periodId, from, to);
  return (
    <Stack gap="xs" data-testid="period-regularity">
      <Title order={3}>{t('attendance.regularity.wholePeriod', { from: formatDate(from), to: formatDate(to) })}</Title>
      {regularity.isPending ? (
        <LoadingState />
      ) : regularity.isError ? (
        <ErrorState error={regularity.error} onRetry={() => void regularity.refetch()} />
      ) : (
        <RegularityFigures regularity={regularity.data.total} />
      )}
    </Stack>
  );
}

/**
 * A period's attendance: its regularity from the start to the (planned) end, and a month with
 * holidays, planned days and the month's figures.
 */
export function PeriodAttendance({ periodId, startsOn, endsOn }: { periodId: string; startsOn: string; endsOn: string | null }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(todayIso().slice(0, 7));
  const calendar = usePeriodCalendar(periodId, month);
  const to = endsOn && endsOn >= startsOn ? endsOn : todayIso() >= startsOn ? todayIso() : startsOn;
  return (
    <MonthSection title={t('attendance.calendar.title')} month={month} onMonth={setMonth} query={calendar}>
      <WholePeriod periodId={periodId} from={startsOn} to={to} />
    </MonthSection>
  );
}

/** A client's month of attendance over all their periods. */
export function ClientAttendance({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(todayIso().slice(0, 7));
  const calendar = useClientCalendar(clientId, month);
  return <MonthSection title={t('attendance.calendar.title')} month={month} onMonth={setMonth} query={calendar} />;
}
