import { Alert, Button, Checkbox, Group, NativeSelect, NumberInput, Paper, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { codeListQueryOptions } from '@/lib/code-lists';
import { todayIso } from '@/lib/format';
import { useMe } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useUnitCoaches } from '../api/list-coaches';
import type { Period } from '../api/types';
import { useUpdatePeriod } from '../api/update-period';
import { kttWarnings } from './ktt-rules';
import { checkEdit, editBody, editValuesOf, formErrors, MAX_WORKPLACE, plannedDays, plannedHours, type EditValues } from './period-forms';
import { RuleWarnings } from './rule-warnings';
import { useLocalName } from './use-local-name';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
const fields = [
  'service_type', 'referrer', 'notified_on', 'mode', 'workplace', 'coach_id',
  'weekdays', 'days_per_week', 'hours_per_day', 'planned_end_on', 'reason',
] as const;

/**
 * Corrects a period: its service, referrer, notification date, mode, workplace, coach, planned
 * schedule and planned end. The KTT rules' warnings follow the schedule as it is changed; the
 * previous values go to the rectification history with the reason given.
 */
export function EditPeriodForm({ period, onDone }: { period: Period; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const name = useLocalName();
  const serviceTypes = useQuery(codeListQueryOptions('service_type'));
  const referrers = useQuery(codeListQueryOptions('referrer'));
  const update = useUpdatePeriod(period.id);
  const unitCoaches = useUnitCoaches(period.unit_id);
  const [values, setValues] = useState<EditValues>(() => editValuesOf(period));
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = formErrors(t, local, update.error, fields);
  const set = (change: Partial<EditValues>) => {
    setValues((current) => ({ ...current, ...change }));
  };

  // A retired code the period still has stays choosable (it is shown, not offered anew).
  const offered = (list: typeof serviceTypes.data, current: string) =>
    (list ?? []).filter((value) => value.active || value.code === current).map((value) => ({ value: value.code, label: name(value) }));
  const serviceType = serviceTypes.data?.find((value) => value.code === values.serviceType);
  const live = serviceType?.ktt_rules
    ? kttWarnings(
        {
          startsOn: period.starts_on,
          plannedEndOn: values.plannedEndOn || null,
          endsOn: period.ends_on ?? null,
          daysPerWeek: plannedDays(values),
          hoursPerDay: plannedHours(values),
        },
        todayIso(),
      )
    : [];
  const listed = (unitCoaches.data?.items ?? []).filter((user) => user.id !== me?.id);
  const coaches = [
    { value: '', label: t('periodActions.coaches.none') },
    ...(me ? [{ value: me.id, label: t('periodActions.coaches.me', { name: me.display_name }) }] : []),
    ...listed.map((user) => ({ value: user.id, label: user.display_name })),
    ...(period.coach_id && period.coach_id !== me?.id && !listed.some((user) => user.id === period.coach_id)
      ? [{ value: period.coach_id, label: t('periodActions.coaches.current') }]
      : []),
  ];

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('periodActions.edit.title')}
        onSubmit={(event) => {
          event.preventDefault();
          const found = checkEdit(values, period);
          setLocal(found);
          if (Object.keys(found).length > 0) return;
          const body = editBody(period, values);
          if (Object.keys(body).length === 0) {
            onDone();
            return;
          }
          update.mutate({ version: period.version, body }, { onSuccess: onDone });
        }}
      >
        <Stack gap="sm">
          {isApiError(update.error, 412) ? (
            <Alert color="warning" role="alert">
              {t('conflict.simple')}
            </Alert>
          ) : (
            update.isError && !isApiError(update.error, 422) && <ErrorState error={update.error} />
          )}
          {errors.other.length > 0 && (
            <Text c="var(--mantine-color-error)" role="alert">
              {errors.other.join(' ')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('periods.fields.serviceType')}
              data={offered(serviceTypes.data, period.service_type)}
              value={values.serviceType}
              onChange={(event) => {
                set({ serviceType: event.currentTarget.value });
              }}
              error={errors.byField.service_type}
            />
            <NativeSelect
              label={t('periodActions.fields.referrer')}
              data={[{ value: '', label: t('periodActions.edit.noReferrer') }, ...offered(referrers.data, period.referrer ?? '')]}
              value={values.referrer}
              onChange={(event) => {
                set({ referrer: event.currentTarget.value });
              }}
              error={errors.byField.referrer}
            />
            <DateField
              label={t('periodActions.fields.notifiedOn')}
              value={values.notifiedOn}
              onChange={(notifiedOn) => {
                set({ notifiedOn });
              }}
              error={errors.byField.notified_on}
            />
            <TextInput
              label={t('periodActions.fields.workplace')}
              maxLength={MAX_WORKPLACE}
              value={values.workplace}
              onChange={(event) => {
                set({ workplace: event.currentTarget.value });
              }}
              error={errors.byField.workplace}
            />
            <NativeSelect
              label={t('periodActions.fields.coach')}
              data={coaches}
              value={values.coachId}
              onChange={(event) => {
                set({ coachId: event.currentTarget.value });
              }}
              error={errors.byField.coach_id}
            />
            <Radio.Group
              label={t('periodActions.fields.mode')}
              value={values.mode}
              onChange={(mode) => {
                set({ mode: mode });
              }}
              error={errors.byField.mode}
            >
              <Group mt="xs">
                {(['individual', 'group'] as const).map((mode) => (
                  <Radio key={mode} value={mode} label={t(`periodActions.modes.${mode}`)} />
                ))}
              </Group>
            </Radio.Group>
          </SimpleGrid>
          <Checkbox.Group
            label={t('periods.fields.weekdays')}
            value={values.weekdays}
            onChange={(chosen) => {
              set({ weekdays: chosen });
            }}
            error={errors.byField.weekdays}
          >
            <Group mt="xs">
              {weekdays.map((day) => (
                <Checkbox key={day} value={String(day)} label={t(`periods.weekdays.${day}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t('periods.fields.daysPerWeek')}
              description={values.weekdays.length > 0 ? t('periodActions.edit.daysFromWeekdays') : undefined}
              min={1}
              max={7}
              allowDecimal={false}
              disabled={values.weekdays.length > 0}
              value={values.weekdays.length > 0 ? values.weekdays.length : values.daysPerWeek}
              onChange={(daysPerWeek) => {
                set({ daysPerWeek });
              }}
              error={errors.byField.days_per_week}
            />
            <NumberInput
              label={t('periods.fields.hoursPerDay')}
              min={0.25}
              max={24}
              step={0.5}
              decimalSeparator=","
              value={values.hoursPerDay}
              onChange={(hoursPerDay) => {
                set({ hoursPerDay });
              }}
              error={errors.byField.hours_per_day}
            />
            <DateField
              label={t('periods.fields.plannedEndOn')}
              min={period.starts_on}
              value={values.plannedEndOn}
              onChange={(plannedEndOn) => {
                set({ plannedEndOn });
              }}
              error={errors.byField.planned_end_on}
            />
          </SimpleGrid>
          <div aria-live="polite" data-testid="live-warnings">
            <RuleWarnings warnings={live} />
          </div>
          <Textarea
            label={t('periodActions.edit.reason')}
            description={t('periodActions.edit.reasonHelp')}
            autosize
            minRows={2}
            maxLength={500}
            value={values.reason}
            onChange={(event) => {
              set({ reason: event.currentTarget.value });
            }}
            error={errors.byField.reason}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('periodActions.edit.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
