import { Button, Checkbox, Collapse, Group, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { AnchorLink } from '@/components/anchor-link';
import { DataTable } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { codeListQueryOptions, useCodeName } from '@/lib/code-lists';
import { mapFieldErrors } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { useCan, useMe } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useCreatePeriod } from '../api/create-period';
import { useClientPeriods } from '../api/list-client-periods';
import type { Period } from '../api/types';
import { useOutcomeText } from './period-actions';
import { RuleWarnings } from './rule-warnings';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

function OpenPeriodForm({ clientId, unitId, onDone }: { clientId: string; unitId: string; onDone: (period: Period) => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const serviceTypes = useQuery(codeListQueryOptions('service_type'));
  const create = useCreatePeriod(clientId);
  const [serviceType, setServiceType] = useState('');
  const [startsOn, setStartsOn] = useState(todayIso());
  const [plannedEnd, setPlannedEnd] = useState('');
  const [hours, setHours] = useState<number | string>(4);
  const [chosenDays, setChosenDays] = useState<string[]>(['1', '3', '5']);
  const errors = isApiError(create.error, 422)
    ? mapFieldErrors(t, create.error.fieldErrors, ['service_type', 'starts_on', 'planned_end_on', 'days_per_week', 'hours_per_day', 'weekdays']).byField
    : {};
  const name = (value: { name_fi: string; name_sv: string; name_en: string }) =>
    i18n.resolvedLanguage === 'sv' ? value.name_sv : i18n.resolvedLanguage === 'en' ? value.name_en : value.name_fi;
  const options = (serviceTypes.data ?? []).filter((value) => value.active).map((value) => ({ value: value.code, label: name(value) }));
  const chosen = serviceType === '' ? (options[0]?.value ?? '') : serviceType;

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('periods.open.title')}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            {
              service_type: chosen,
              unit_id: unitId,
              starts_on: startsOn,
              planned_end_on: plannedEnd || null,
              // Days a week are the weekdays chosen (the server checks they agree).
              days_per_week: chosenDays.length > 0 ? chosenDays.length : null,
              hours_per_day: typeof hours === 'number' ? hours : null,
              weekdays: chosenDays.map(Number),
              coach_id: me?.id ?? null,
            },
            { onSuccess: onDone },
          );
        }}
      >
        <Stack gap="sm">
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('periods.fields.serviceType')}
              data={options}
              value={chosen}
              onChange={(event) => {
                setServiceType(event.currentTarget.value);
              }}
              error={errors.service_type}
            />
            <DateField
              label={t('periods.fields.startsOn')}
              required
              value={startsOn}
              onChange={(value) => {
                setStartsOn(value);
              }}
              error={errors.starts_on}
            />
            <DateField
              label={t('periods.fields.plannedEndOn')}
              value={plannedEnd}
              onChange={(value) => {
                setPlannedEnd(value);
              }}
              error={errors.planned_end_on}
            />
            <NumberInput
              label={t('periods.fields.hoursPerDay')}
              min={0.5}
              max={24}
              step={0.5}
              decimalSeparator=","
              value={hours}
              onChange={setHours}
              error={errors.hours_per_day}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('periods.fields.weekdays')}
            description={t('periods.open.daysChosen', { count: chosenDays.length })}
            value={chosenDays}
            onChange={setChosenDays}
            error={errors.weekdays ?? errors.days_per_week}
          >
            <Group mt="xs">
              {weekdays.map((day) => (
                <Checkbox key={day} value={String(day)} label={t(`periods.weekdays.${day}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!chosen}>
              {t('periods.open.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A client's service periods, and opening a new one. */
export function ClientPeriods({ clientId, unitId }: { clientId: string; unitId: string }) {
  const { t } = useTranslation();
  const periods = useClientPeriods(clientId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const serviceTypeName = useCodeName('service_type');
  const outcomeText = useOutcomeText();
  const [opening, { open, close }] = useDisclosure(false);
  const [opened, setOpened] = useState<Period | null>(null);

  return (
    <QuerySection
      title={t('periods.title')}
      query={periods}
      isEmpty={(items) => items.length === 0}
      empty={t('periods.empty')}
      testId="periods"
      actions={
        <Stack gap="xs">
          {canWrite && !opening && (
            <Group>
              <Button variant="default" onClick={open}>
                {t('periods.open.button')}
              </Button>
            </Group>
          )}
          {opened && <RuleWarnings warnings={opened.warnings} />}
          <Collapse expanded={opening}>
            {opening && (
              <OpenPeriodForm
                clientId={clientId}
                unitId={unitId}
                onDone={(period) => {
                  setOpened(period);
                  close();
                }}
              />
            )}
          </Collapse>
        </Stack>
      }
    >
      {(items) => (
        <DataTable
          minWidth={720}
          rows={[...items].reverse()}
          rowKey={(period) => period.id}
          columns={[
            {
              header: t('periods.fields.serviceType'),
              cell: (period) => (
                <AnchorLink to="/periods/$periodId" params={{ periodId: period.id }}>
                  {serviceTypeName(period.service_type)} {formatDate(period.starts_on)}
                </AnchorLink>
              ),
            },
            { header: t('periods.fields.startsOn'), cell: (period) => formatDate(period.starts_on) },
            { header: t('periods.fields.plannedEndOn'), cell: (period) => formatDate(period.planned_end_on) || '–' },
            {
              header: t('periods.fields.endsOn'),
              cell: (period) =>
                period.ends_on ? formatDate(period.ends_on) : <Text span size="sm">{t('periods.ongoing')}</Text>,
            },
            { header: t('periodActions.fields.outcome'), cell: (period) => outcomeText(period) || '–' },
          ]}
        />
      )}
    </QuerySection>
  );
}
