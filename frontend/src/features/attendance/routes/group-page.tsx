import { Alert, Button, Container, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { ButtonLink } from '@/components/button-link';
import { DataTable, type Column } from '@/components/data-table';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { mapFieldErrors } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useGroup } from '../api/get-group';
import type { Group as AttendanceGroup, GroupMember } from '../api/types';
import { useUpdateGroup } from '../api/update-group';
import { MemberPicker } from '../components/member-picker';
import { MissingPermission } from '../components/missing-permission';
import { groupsWrite } from '../components/permissions';

/** The group's members; with `onRemove`, each can be taken out. */
function MembersTable({ group, onRemove, removing }: { group: AttendanceGroup; onRemove?: (periodId: string) => void; removing?: string[] }) {
  const { t } = useTranslation();
  if (group.members.length === 0) return <EmptyState>{t('attendance.groups.noMembers')}</EmptyState>;
  const memberName = (member: GroupMember) => `${member.last_name}, ${member.first_names}`;
  const columns: Column<GroupMember>[] = [
    {
      header: t('attendance.sheet.columns.name'),
      rowHeader: true,
      cell: (member) => (
        <AnchorLink to="/clients/$clientId" params={{ clientId: member.client_id }}>
          {memberName(member)}
        </AnchorLink>
      ),
    },
    {
      header: t('attendance.groups.period'),
      cell: (member) => (
        <>
          {formatDate(member.starts_on)} – {formatDate(member.ends_on)}
        </>
      ),
    },
  ];
  if (onRemove) {
    columns.push({
      header: t('common.actions'),
      cell: (member) => (
        <Button
          size="compact-sm"
          variant="default"
          loading={removing?.includes(member.period_id) ?? false}
          onClick={() => {
            onRemove(member.period_id);
          }}
        >
          {t('attendance.groups.removeNamed', { name: memberName(member) })}
        </Button>
      ),
    });
  }
  return (
    <DataTable minWidth={480} data-testid="group-members" rows={group.members} rowKey={(member) => member.period_id} columns={columns} />
  );
}

function GroupEditor({ group }: { group: AttendanceGroup }) {
  const { t } = useTranslation();
  const update = useUpdateGroup(group.id);
  const [name, setName] = useState(group.name);
  const [adding, setAdding] = useState<string[]>([]);
  const [confirmArchive, archiveDialog] = useDisclosure(false);
  const errors = isApiError(update.error, 422)
    ? mapFieldErrors(t, update.error.fieldErrors, ['name', 'add', 'remove'])
    : { byField: {} as Record<string, string>, other: [] };
  const archived = Boolean(group.archived_at);

  return (
    <Stack gap="lg">
      {isApiError(update.error, 412) ? (
        <Alert color="warning" role="alert">
          {t('attendance.groups.stale')}
        </Alert>
      ) : (
        update.isError && !isApiError(update.error, 422) && <ErrorState error={update.error} />
      )}
      {errors.other.length > 0 && (
        <Text c="var(--mantine-color-error)" role="alert">
          {errors.other.join(' ')}
        </Text>
      )}
      <form
        noValidate
        aria-label={t('attendance.groups.rename')}
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate({ version: group.version, name: name.trim() });
        }}
      >
        <Group align="flex-end">
          <TextInput
            label={t('attendance.groups.name')}
            maxLength={200}
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
            error={errors.byField.name}
            style={{ flex: '1 1 280px' }}
          />
          <Button type="submit" variant="default" loading={update.isPending} disabled={!name.trim() || name.trim() === group.name}>
            {t('attendance.groups.rename')}
          </Button>
        </Group>
      </form>

      <Stack gap="xs" component="section" aria-label={t('attendance.groups.members')}>
        <Title order={2}>{t('attendance.groups.members')}</Title>
        <MembersTable
          group={group}
          onRemove={(periodId) => {
            update.mutate({ version: group.version, remove: [periodId] });
          }}
          removing={update.isPending ? (update.variables.remove ?? []) : []}
        />
      </Stack>

      <Paper withBorder p="md" component="section" aria-label={t('attendance.groups.addMembers')}>
        <Stack gap="sm">
          <Title order={2}>{t('attendance.groups.addMembers')}</Title>
          <MemberPicker
            unitId={group.unit_id}
            value={adding}
            onChange={setAdding}
            exclude={group.members.map((member) => member.period_id)}
            label={t('attendance.groups.addMembers')}
          />
          {errors.byField.add && <Text c="var(--mantine-color-error)">{errors.byField.add}</Text>}
          <Group justify="flex-end">
            <Button
              disabled={adding.length === 0}
              loading={update.isPending && Boolean(update.variables.add)}
              onClick={() => {
                update.mutate(
                  { version: group.version, add: adding },
                  {
                    onSuccess: () => {
                      setAdding([]);
                    },
                  },
                );
              }}
            >
              {t('attendance.groups.addChosen', { count: adding.length })}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Group>
        {archived ? (
          <Button
            variant="default"
            onClick={() => {
              update.mutate({ version: group.version, archived: false });
            }}
          >
            {t('attendance.groups.restore')}
          </Button>
        ) : (
          <Button variant="default" color="alert" onClick={archiveDialog.open}>
            {t('attendance.groups.archive')}
          </Button>
        )}
      </Group>
      <Modal opened={confirmArchive} onClose={archiveDialog.close} title={t('attendance.groups.archiveTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text>{t('attendance.groups.archiveBody', { name: group.name })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={archiveDialog.close}>
              {t('common.cancel')}
            </Button>
            <Button
              color="alert"
              loading={update.isPending}
              onClick={() => {
                update.mutate({ version: group.version, archived: true }, { onSuccess: archiveDialog.close });
              }}
            >
              {t('attendance.groups.archiveConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** One attendance group: its name and members, changed by a coach; archived when no longer needed. */
export function GroupPage() {
  const { t } = useTranslation();
  const { groupId } = useParams({ strict: false });
  const id = groupId ?? '';
  const group = useGroup(id);
  const canWrite = useCan(...groupsWrite);
  useDocumentTitle(group.data?.name ?? t('attendance.groups.title'));

  return (
    <Container size="lg">
      <Stack gap="lg">
        <AnchorLink to="/attendance" size="sm">
          ← {t('attendance.backToGroups')}
        </AnchorLink>
        {group.isPending ? (
          <LoadingState />
        ) : group.isError ? (
          <ErrorState error={group.error} onRetry={() => void group.refetch()} permissions={['clients_read_own_units', 'clients_read_all']} />
        ) : (
          <>
            <Group justify="space-between" align="flex-end">
              <Stack gap={0}>
                <Title order={1}>{group.data.name}</Title>
                {group.data.archived_at && <Text c="dimmed">{t('attendance.groups.archived')}</Text>}
              </Stack>
              {!group.data.archived_at && (
                <ButtonLink to="/attendance/$sheetId/$date" params={{ sheetId: id, date: todayIso() }}>
                  {t('attendance.groups.markToday')}
                </ButtonLink>
              )}
            </Group>
            {canWrite ? (
              <GroupEditor key={group.data.version} group={group.data} />
            ) : (
              <>
                <MissingPermission permissions={groupsWrite} what={t('attendance.groups.noWrite')} />
                <Stack gap="xs" component="section" aria-label={t('attendance.groups.members')}>
                  <Title order={2}>{t('attendance.groups.members')}</Title>
                  <MembersTable group={group.data} />
                </Stack>
              </>
            )}
          </>
        )}
      </Stack>
    </Container>
  );
}
