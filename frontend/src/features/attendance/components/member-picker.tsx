import { Checkbox, Group, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatDate } from '@/lib/format';

import { useUnitPeriods } from '../api/list-unit-periods';

/** Chooses periods among the unit's ongoing ones (those in `exclude` not offered). */
export function MemberPicker({
  unitId,
  value,
  onChange,
  exclude = [],
  label,
}: {
  unitId: string;
  value: string[];
  onChange: (periodIds: string[]) => void;
  exclude?: string[];
  label: string;
}) {
  const { t } = useTranslation();
  const periods = useUnitPeriods(unitId);
  const [filter, setFilter] = useState('');
  if (periods.isPending) return <LoadingState />;
  if (periods.isError) return <ErrorState error={periods.error} onRetry={() => void periods.refetch()} />;
  const words = filter.toLocaleLowerCase('fi').split(/\s+/).filter(Boolean);
  const offered = periods.data.items
    .filter(({ period }) => !exclude.includes(period.id))
    .filter(({ client_name }) => words.every((word) => client_name.toLocaleLowerCase('fi').includes(word)))
    .sort((a, b) => a.client_name.localeCompare(b.client_name, 'fi'));
  const offeredIds = offered.map(({ period }) => period.id);
  const allChosen = offeredIds.length > 0 && offeredIds.every((id) => value.includes(id));

  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <TextInput
          type="search"
          size="sm"
          label={t('attendance.groups.filterPeople')}
          value={filter}
          onChange={(event) => {
            setFilter(event.currentTarget.value);
          }}
        />
        <Checkbox
          label={t('attendance.groups.chooseAll', { count: offeredIds.length })}
          checked={allChosen}
          disabled={offeredIds.length === 0}
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            onChange(checked ? [...new Set([...value, ...offeredIds])] : value.filter((id) => !offeredIds.includes(id)));
          }}
        />
      </Group>
      {offered.length === 0 ? (
        <EmptyState>{t('attendance.groups.noPeriods')}</EmptyState>
      ) : (
        <ScrollArea.Autosize mah={320} type="auto">
          <Checkbox.Group label={label} description={t('attendance.groups.chosen', { count: value.length })} value={value} onChange={onChange}>
            <Stack gap={6} mt="xs">
              {offered.map(({ client_name, period }) => (
                <Checkbox
                  key={period.id}
                  value={period.id}
                  label={
                    <Text size="sm" span>
                      {client_name}{' '}
                      <Text span c="dimmed" size="sm">
                        {t('attendance.groups.periodFrom', { date: formatDate(period.starts_on) })}
                      </Text>
                    </Text>
                  }
                />
              ))}
            </Stack>
          </Checkbox.Group>
        </ScrollArea.Autosize>
      )}
      {periods.data.next_cursor && <Text size="sm" c="dimmed">{t('attendance.groups.morePeriods')}</Text>}
    </Stack>
  );
}
