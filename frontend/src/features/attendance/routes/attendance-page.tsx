import { Button, Collapse, Container, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { DataTable } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { mapFieldErrors } from '@/lib/field-errors';
import { todayIso } from '@/lib/format';
import { useCan, useMe } from '@/lib/me';
import { isApiError } from '@/lib/problem';
import { useUnits, type Unit } from '@/lib/units';

import { useCreateGroup } from '../api/create-group';
import { useGroups } from '../api/list-groups';
import { MemberPicker } from '../components/member-picker';
import { MissingPermission } from '../components/missing-permission';
import { clientsRead, groupsWrite } from '../components/permissions';
import { UnitRegularity } from '../components/unit-regularity';

function NewGroupForm({ units, onDone }: { units: Unit[]; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateGroup();
  const [unitId, setUnitId] = useState(units[0]?.id ?? '');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const errors = isApiError(create.error, 422)
    ? mapFieldErrors(t, create.error.fieldErrors, ['name', 'unit_id', 'period_ids'])
    : { byField: {} as Record<string, string>, other: [] };

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('attendance.groups.new')}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { unit_id: unitId, name: name.trim(), period_ids: members },
            {
              onSuccess: (group) => {
                onDone();
                void navigate({ to: '/attendance/$sheetId/$date', params: { sheetId: group.id, date: todayIso() } });
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          {errors.other.length > 0 && (
            <Text c="var(--mantine-color-error)" role="alert">
              {errors.other.join(' ')}
            </Text>
          )}
          <Group align="flex-start">
            <TextInput
              label={t('attendance.groups.name')}
              required
              maxLength={200}
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
              error={errors.byField.name}
              style={{ flex: '1 1 280px' }}
            />
            {units.length > 1 && (
              <NativeSelect
                label={t('attendance.groups.unit')}
                data={units.map((unit) => ({ value: unit.id, label: unit.name }))}
                value={unitId}
                onChange={(event) => {
                  setUnitId(event.currentTarget.value);
                  setMembers([]);
                }}
                error={errors.byField.unit_id}
              />
            )}
          </Group>
          <MemberPicker unitId={unitId} value={members} onChange={setMembers} label={t('attendance.groups.members')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !unitId}>
              {t('attendance.groups.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Attendance: the groups and units whose day sheets the user marks, and setting up a group. */
export function AttendancePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('attendance.title'));
  const me = useMe();
  const canRead = useCan(...clientsRead);
  const canAll = useCan('clients_read_all');
  const canWriteGroups = useCan(...groupsWrite);
  const groups = useGroups();
  const units = useUnits();
  const [creating, { open, close }] = useDisclosure(false);
  const today = todayIso();
  const myUnits = (units.data?.items ?? []).filter((unit) => !unit.closed_at && (canAll || me?.unit_ids.includes(unit.id)));
  const unitName = (id: string) => units.data?.items.find((unit) => unit.id === id)?.name ?? '';

  return (
    <Container size="xl">
      <Stack gap="xl">
        <Title order={1}>{t('attendance.title')}</Title>
        {!canRead ? (
          <MissingPermission permissions={clientsRead} what={t('attendance.noAccess')} />
        ) : (
          <>
            <QuerySection
              title={t('attendance.groups.title')}
              query={groups}
              isEmpty={(items) => items.length === 0}
              empty={t('attendance.groups.empty')}
              permissions={clientsRead}
              testId="groups"
              actions={
                <Stack gap="xs">
                  {canWriteGroups ? (
                    !creating && (
                      <Group>
                        <Button variant="default" onClick={open} disabled={myUnits.length === 0}>
                          {t('attendance.groups.new')}
                        </Button>
                      </Group>
                    )
                  ) : (
                    <MissingPermission permissions={groupsWrite} what={t('attendance.groups.noWrite')} />
                  )}
                  <Collapse expanded={creating}>{creating && <NewGroupForm units={myUnits} onDone={close} />}</Collapse>
                </Stack>
              }
            >
              {(items) => (
                <DataTable
                  minWidth={560}
                  rows={items}
                  rowKey={(group) => group.id}
                  columns={[
                    {
                      header: t('attendance.groups.name'),
                      rowHeader: true,
                      cell: (group) => (
                        <AnchorLink to="/attendance/$sheetId/$date" params={{ sheetId: group.id, date: today }}>
                          {group.name}
                        </AnchorLink>
                      ),
                    },
                    { header: t('attendance.groups.unit'), cell: (group) => unitName(group.unit_id) },
                    { header: t('attendance.groups.activeMembers'), cell: (group) => group.active_members },
                    {
                      header: t('common.actions'),
                      cell: (group) => (
                        <AnchorLink to="/attendance/groups/$groupId" params={{ groupId: group.id }}>
                          {t('attendance.groups.manageNamed', { name: group.name })}
                        </AnchorLink>
                      ),
                    },
                  ]}
                />
              )}
            </QuerySection>

            <QuerySection
              title={t('attendance.units.title')}
              query={units}
              isEmpty={() => myUnits.length === 0}
              empty={t('attendance.units.empty')}
              testId="unit-sheets"
            >
              {() => (
                <Stack gap={4} component="ul" style={{ paddingInlineStart: '1.25rem', margin: 0 }}>
                  {myUnits.map((unit) => (
                    <li key={unit.id}>
                      <AnchorLink to="/attendance/$sheetId/$date" params={{ sheetId: unit.id, date: today }}>
                        {t('attendance.units.sheet', { unit: unit.name })}
                      </AnchorLink>
                    </li>
                  ))}
                </Stack>
              )}
            </QuerySection>

            {myUnits.length > 0 && <UnitRegularity units={myUnits} />}
          </>
        )}
      </Stack>
    </Container>
  );
}
