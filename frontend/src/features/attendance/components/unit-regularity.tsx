import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DataTable, type Column } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { addMonths, monthName } from '@/lib/dates';
import { formatNumber, todayIso } from '@/lib/format';
import type { Unit } from '@/lib/units';

import { useUnitRegularity } from '../api/get-unit-regularity';
import type { PeriodRegularity, Regularity } from '../api/types';
import { clientsRead } from './permissions';

const percentage = (regularity: Regularity) =>
  regularity.attendance_percentage == null ? '–' : `${formatNumber(Math.round(regularity.attendance_percentage * 10) / 10)} %`;

/** The figures of a regularity, a column each: a period's in its row, the unit's total in the footer. */
const figures = [
  ['plannedToDate', (regularity) => regularity.planned_days_to_date],
  ['presentDays', (regularity) => regularity.present_days],
  ['presentHours', (regularity) => formatNumber(regularity.present_hours)],
  ['absentDays', (regularity) => regularity.absent_days],
  ['unmarked', (regularity) => regularity.unmarked_planned_days],
  ['percentage', percentage],
] as const satisfies readonly (readonly [column: string, value: (regularity: Regularity) => ReactNode])[];

/** A unit's month of regularity: every period's planned and present days, absences and percentage. */
export function UnitRegularity({ units }: { units: Unit[] }) {
  const { t, i18n } = useTranslation();
  const [unitId, setUnitId] = useState(units[0]?.id ?? '');
  const [month, setMonth] = useState(todayIso().slice(0, 7));
  const report = useUnitRegularity(unitId, month);
  return (
    <QuerySection
      title={t('attendance.unitRegularity.title')}
      query={report}
      isEmpty={(data) => data.periods.length === 0}
      empty={t('attendance.unitRegularity.empty')}
      permissions={clientsRead}
      testId="unit-regularity"
      actions={
        <Group align="flex-end">
          {units.length > 1 && (
            <NativeSelect
              label={t('attendance.groups.unit')}
              value={unitId}
              onChange={(event) => {
                setUnitId(event.currentTarget.value);
              }}
              data={units.map((unit) => ({ value: unit.id, label: unit.name }))}
            />
          )}
          <Group gap="xs" component="nav" aria-label={t('attendance.calendar.monthNav')}>
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setMonth(addMonths(month, -1));
              }}
            >
              ← {t('attendance.calendar.previous')}
            </Button>
            <Text fw={600} miw={140} ta="center" aria-live="polite">
              {monthName(month, i18n.resolvedLanguage)}
            </Text>
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setMonth(addMonths(month, 1));
              }}
            >
              {t('attendance.calendar.next')} →
            </Button>
          </Group>
        </Group>
      }
    >
      {(data) => (
        <DataTable
          minWidth={720}
          rows={data.periods}
          rowKey={(row) => row.period_id}
          columns={[
            {
              header: t('attendance.sheet.columns.name'),
              rowHeader: true,
              cell: (row) => (
                <>
                  {row.last_name}, {row.first_names}
                </>
              ),
              footer: t('allowances.columns.sum'),
            },
            ...figures.map(([column, value]): Column<PeriodRegularity> => ({
              header: t(`attendance.regularity.${column}`),
              align: 'end',
              cell: (row) => value(row.regularity),
              footer: value(data.total),
            })),
          ]}
        />
      )}
    </QuerySection>
  );
}
