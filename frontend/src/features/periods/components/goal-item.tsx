import { Alert, Badge, Button, Collapse, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { formatDate, formatDateTime, todayIso } from '@/lib/format';
import { isApiError } from '@/lib/problem';

import type { Goal, GoalStatus } from '../api/types';
import { useCreateFollowUp, useUpdateGoal } from '../api/update-goal';
import { checkGoalUpdate, formErrors, MAX_NOTE } from './period-forms';

export const goalStatuses: GoalStatus[] = ['open', 'in_progress', 'achieved', 'dropped'];
export const goalColor: Record<GoalStatus, string> = { open: 'highlight', in_progress: 'warning', achieved: 'success', dropped: 'depth' };

const fields = ['status', 'note', 'noted_on'] as const;

/** A goal's status changed and a follow-up noted in one form: the status first (`If-Match`), then the note. */
function GoalUpdateForm({ periodId, goal, onDone }: { periodId: string; goal: Goal; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateGoal(periodId);
  const followUp = useCreateFollowUp(periodId);
  const [status, setStatus] = useState<GoalStatus>(goal.status);
  const [note, setNote] = useState('');
  const [notedOn, setNotedOn] = useState(todayIso());
  const [local, setLocal] = useState<Record<string, string>>({});
  // The goal as last saved here, until the page's copy catches up (a note may still be due).
  const [saved, setSaved] = useState<Goal | null>(null);
  const current = saved && saved.version > goal.version ? saved : goal;
  const error = update.error ?? followUp.error;
  const errors = formErrors(t, local, error, fields);
  const pending = update.isPending || followUp.isPending;

  const saveNote = () => {
    if (!note.trim()) {
      onDone();
      return;
    }
    followUp.mutate({ goalId: goal.id, body: { note: note.trim(), noted_on: notedOn || null } }, { onSuccess: onDone });
  };

  return (
    <form
      noValidate
      aria-label={t('periodActions.goals.updateFor', { title: goal.title })}
      onSubmit={(event) => {
        event.preventDefault();
        const found = checkGoalUpdate({ status, note, notedOn }, current.status, todayIso());
        setLocal(found);
        if (Object.keys(found).length > 0 || pending) return;
        update.reset();
        followUp.reset();
        if (status !== current.status) {
          update.mutate(
            { goalId: goal.id, version: current.version, body: { status } },
            {
              onSuccess: (changed) => {
                setSaved(changed);
                saveNote();
              },
            },
          );
        } else {
          saveNote();
        }
      }}
    >
      <Stack gap="xs" mt="xs">
        {isApiError(error, 412) ? (
          <Alert color="warning" role="alert">
            {t('conflict.simple')}
          </Alert>
        ) : (
          error !== null && !isApiError(error, 422) && <ErrorState error={error} />
        )}
        {errors.other.length > 0 && (
          <Text c="var(--mantine-color-error)" role="alert">
            {errors.other.join(' ')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('periods.goals.status')}
            value={status}
            onChange={(event) => {
              setStatus(event.currentTarget.value as GoalStatus);
            }}
            data={goalStatuses.map((value) => ({ value, label: t(`periods.goals.statuses.${value}`) }))}
            error={errors.byField.status}
          />
          <DateField
            label={t('periodActions.goals.notedOn')}
            max={todayIso()}
            value={notedOn}
            onChange={setNotedOn}
            error={errors.byField.noted_on}
          />
        </SimpleGrid>
        <Textarea
          label={t('periodActions.goals.followUp')}
          autosize
          minRows={2}
          maxLength={MAX_NOTE}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
          }}
          error={errors.byField.note}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {t('periodActions.goals.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One goal: its status, its follow-up history (oldest first) and, for a writer, the update form. */
export function GoalItem({ periodId, goal, canWrite }: { periodId: string; goal: Goal; canWrite: boolean }) {
  const { t } = useTranslation();
  const [editing, { open, close }] = useDisclosure(false);
  return (
    <Paper component="li" withBorder p="sm" data-testid="goal">
      <Group justify="space-between">
        <Text fw={600}>{goal.title}</Text>
        <Badge variant="light" color={goalColor[goal.status]}>
          {t(`periods.goals.statuses.${goal.status}`)}
        </Badge>
      </Group>
      {goal.description && <Text size="sm">{goal.description}</Text>}
      {goal.follow_ups.length > 0 && (
        <Stack gap={4} mt="xs">
          <Text size="sm" fw={600} id={`follow-ups-${goal.id}`}>
            {t('periodActions.goals.history')}
          </Text>
          <Stack component="ol" gap={4} p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby={`follow-ups-${goal.id}`} data-testid="follow-ups">
            {goal.follow_ups.map((note) => (
              <Text component="li" key={note.id} size="sm">
                <Text span fw={600} size="sm">
                  {formatDate(note.noted_on)}
                </Text>{' '}
                <Text span size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {note.note}
                </Text>{' '}
                <Text span size="xs" c="dimmed">
                  ({t('periods.diary.recorded', { at: formatDateTime(note.created_at) })})
                </Text>
              </Text>
            ))}
          </Stack>
        </Stack>
      )}
      {canWrite && !editing && (
        <Group mt="xs">
          <Button size="xs" variant="default" onClick={open} aria-label={t('periodActions.goals.updateFor', { title: goal.title })}>
            {t('periodActions.goals.update')}
          </Button>
        </Group>
      )}
      <Collapse expanded={editing}>{editing && <GoalUpdateForm periodId={periodId} goal={goal} onDone={close} />}</Collapse>
    </Paper>
  );
}
