import { Button, Group, NativeSelect, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { QuerySection } from '@/components/query-section';
import { addMonths, monthName } from '@/lib/dates';
import { formatNumber, todayIso } from '@/lib/format';
import type { Unit } from '@/lib/units';

import { useUnitRegularity } from '../api/get-unit-regularity';
import type { Regularity } from '../api/types';
import { clientsRead } from './permissions';

const percentage = (regularity: Regularity) =>
  regularity.attendance_percentage == null ? '–' : `${formatNumber(Math.round(regularity.attendance_percentage * 10) / 10)} %`;

function Figures({ regularity }: { regularity: Regularity }) {
  return (
    <>
      <Table.Td ta="end">{regularity.planned_days_to_date}</Table.Td>
      <Table.Td ta="end">{regularity.present_days}</Table.Td>
      <Table.Td ta="end">{formatNumber(regularity.present_hours)}</Table.Td>
      <Table.Td ta="end">{regularity.absent_days}</Table.Td>
      <Table.Td ta="end">{regularity.unmarked_planned_days}</Table.Td>
      <Table.Td ta="end">{percentage(regularity)}</Table.Td>
    </>
  );
}

/** A unit's month of regularity: every period's planned and present days, absences and percentage. */
export function UnitRegularity({ units }: { units: Unit[] }) {
  const { t, i18n } = useTranslation();
  const [unitId, setUnitId] = useState(units[0]?.id ?? '');
  const [month, setMonth] = useState(todayIso().slice(0, 7));
  const report = useUnitRegularity(unitId, month);
  const columns = ['plannedToDate', 'presentDays', 'presentHours', 'absentDays', 'unmarked', 'percentage'] as const;
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
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('attendance.sheet.columns.name')}</Table.Th>
                {columns.map((column) => (
                  <Table.Th key={column} scope="col" ta="end">
                    {t(`attendance.regularity.${column}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.periods.map((row) => (
                <Table.Tr key={row.period_id}>
                  <Table.Th scope="row" fw="normal">
                    {row.last_name}, {row.first_names}
                  </Table.Th>
                  <Figures regularity={row.regularity} />
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row">{t('allowances.columns.sum')}</Table.Th>
                <Figures regularity={data.total} />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </QuerySection>
  );
}
