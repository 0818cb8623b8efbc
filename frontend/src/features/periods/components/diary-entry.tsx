import { Alert, Badge, Button, Checkbox, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { fieldErrorMessage, mapFieldErrors } from '@/lib/field-errors';
import { formatDate, formatDateTime, todayIso } from '@/lib/format';
import { useCan, useMe } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import type { DiaryEntry } from '../api/types';
import { useUpdateDiaryEntry } from '../api/update-diary-entry';
import { diaryEditFields, needsReason, toDiaryUpdate, validateDiaryEdit, type DiaryEditField, type DiaryEditValues } from './diary-entry-values';

function DiaryEditForm({ periodId, entry, onDone }: { periodId: string; entry: DiaryEntry; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const update = useUpdateDiaryEntry(periodId);
  const canSensitive = useCan('sensitive_history');
  const [values, setValues] = useState<DiaryEditValues>({
    entryDate: entry.entry_date,
    body: entry.body,
    reason: '',
    sensitive: entry.sensitive,
  });
  const [local, setLocal] = useState<Partial<Record<DiaryEditField, string>>>({});
  // Decided when the form opens; the server decides again when it is saved.
  const [reasonNeeded] = useState(() => needsReason(entry, me?.id));
  const server = isApiError(update.error, 422)
    ? mapFieldErrors(t, update.error.fieldErrors, diaryEditFields)
    : { byField: {} as Record<string, string>, other: [] };
  const error = (field: DiaryEditField) => {
    const code = local[field];
    return code ? fieldErrorMessage(t, field, code) : server.byField[field];
  };
  const label = t('clientActions.diary.editTitle', { date: formatDate(entry.entry_date) });
  return (
    <form
      noValidate
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        const found = validateDiaryEdit(values, reasonNeeded);
        setLocal(found);
        if (Object.keys(found).length > 0) return;
        const body = toDiaryUpdate(entry, values);
        if (body.entry_date === undefined && body.body === undefined && body.sensitive === undefined) {
          onDone();
          return;
        }
        update.mutate({ entryId: entry.id, version: entry.version, body }, { onSuccess: onDone });
      }}
    >
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {reasonNeeded ? t('clientActions.diary.correctionHelp') : t('clientActions.diary.editHelp', { until: formatDateTime(entry.editable_until) })}
        </Text>
        {server.other.length > 0 && (
          <Alert color="alert" role="alert">
            {server.other.join(' ')}
          </Alert>
        )}
        {update.isError && !isApiError(update.error, 422) && <ErrorState error={update.error} />}
        <DateField
          label={t('periods.diary.date')}
          max={todayIso()}
          value={values.entryDate}
          onChange={(value) => {
            setValues((current) => ({ ...current, entryDate: value }));
          }}
          error={error('entry_date')}
        />
        <Textarea
          label={t('clientActions.diary.text')}
          required
          autosize
          minRows={3}
          value={values.body}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setValues((current) => ({ ...current, body: value }));
          }}
          error={error('body')}
        />
        {canSensitive && (
          <Checkbox
            label={t('clientActions.diary.markSensitive')}
            description={t('clientActions.diary.markSensitiveHelp')}
            checked={values.sensitive}
            onChange={(event) => {
              const checked = event.currentTarget.checked;
              setValues((current) => ({ ...current, sensitive: checked }));
            }}
          />
        )}
        <TextInput
          label={t('clientActions.diary.reason')}
          description={reasonNeeded ? t('clientActions.diary.reasonRequired') : t('clientActions.diary.reasonOptional')}
          required={reasonNeeded}
          maxLength={500}
          value={values.reason}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setValues((current) => ({ ...current, reason: value }));
          }}
          error={error('reason')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {reasonNeeded ? t('clientActions.diary.saveCorrection') : t('clientActions.diary.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One diary entry: its text, and for a writer the way to edit or correct it. */
export function DiaryEntryItem({ periodId, entry }: { periodId: string; entry: DiaryEntry }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [editing, setEditing] = useState(false);
  const edited = new Date(entry.updated_at).getTime() - new Date(entry.created_at).getTime() > 1000;
  return (
    <Paper component="li" withBorder p="sm" data-testid="diary-entry">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="dimmed">
            {formatDate(entry.entry_date)} · {t('periods.diary.recorded', { at: formatDateTime(entry.created_at) })}
            {entry.author_name && <> · {entry.author_name}</>}
            {edited && <> · {t('clientActions.diary.edited', { at: formatDateTime(entry.updated_at) })}</>}
          </Text>
          <Group gap="xs">
            {entry.sensitive && (
              <Badge variant="light" color="warning">
                {t('clientActions.diary.sensitive')}
              </Badge>
            )}
            {canWrite && !editing && (
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => {
                  setEditing(true);
                }}
                aria-label={t('clientActions.diary.editFor', { date: formatDate(entry.entry_date) })}
              >
                {t('clientActions.diary.edit')}
              </Button>
            )}
          </Group>
        </Group>
        {editing ? (
          <DiaryEditForm
            periodId={periodId}
            entry={entry}
            onDone={() => {
              setEditing(false);
            }}
          />
        ) : (
          <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.body}</Text>
        )}
      </Stack>
    </Paper>
  );
}
