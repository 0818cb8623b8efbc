import {
  Alert,
  Badge,
  Button,
  Group,
  Kbd,
  List,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useBlocker } from '@tanstack/react-router';
import { Fragment, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorState } from '@/components/states';
import { fieldErrorMessage, translateIfExists } from '@/lib/field-errors';
import { formatNumber, todayIso } from '@/lib/format';
import { isApiError } from '@/lib/problem';

import { useSaveDay } from '../api/save-day';
import { absenceReasons, type AbsenceReason, type DaySheet, type MarkRequest, type SheetRow } from '../api/types';
import classes from './day-sheet-editor.module.css';

/** One row's mark as being edited: no status is no record. */
interface Draft {
  status: 'present' | 'absent' | null;
  hours: number | '';
  reason: AbsenceReason | '';
  note: string;
  // Kept as stored, so that saving the day again does not drop a record's times.
  startsAt: string | null;
  endsAt: string | null;
}

function stored(row: SheetRow): Draft {
  const record = row.record;
  if (!record) return { status: null, hours: '', reason: '', note: '', startsAt: null, endsAt: null };
  return {
    status: record.status,
    hours: record.hours ?? '',
    reason: record.absence_reason ?? '',
    note: record.note ?? '',
    startsAt: record.starts_at ?? null,
    endsAt: record.ends_at ?? null,
  };
}

function sameDraft(a: Draft, b: Draft): boolean {
  return a.status === b.status && a.hours === b.hours && a.reason === b.reason && a.note.trim() === b.note.trim();
}

/** The mark sent for a row, or none (nothing marked, nothing stored). */
function mark(row: SheetRow, draft: Draft): MarkRequest | null {
  const note = draft.note.trim() || null;
  const base = { period_id: row.period_id, client_id: row.client_id };
  if (draft.status === 'present') {
    return {
      ...base,
      status: 'present',
      hours: draft.hours === '' ? null : draft.hours,
      starts_at: draft.startsAt,
      ends_at: draft.endsAt,
      note,
    };
  }
  if (draft.status === 'absent') {
    return { ...base, status: 'absent', absence_reason: draft.reason === '' ? null : draft.reason, note };
  }
  return row.record ? { ...base, status: 'unmarked' } : null;
}

const reasonKeys: Record<string, AbsenceReason> = { '1': 'sick', '2': 'authorised', '3': 'unauthorised', '4': 'holiday', '5': 'other' };

/** Fields a row shows its own errors beside; others are listed under the row's name. */
type RowErrors = Partial<Record<'hours' | 'absence_reason' | 'note' | 'row', string[]>>;

interface DaySheetEditorProps {
  sheetId: string;
  date: string;
  sheet: DaySheet;
  canWrite: boolean;
}

/**
 * A unit's or group's day, marked whole: a key or click per person (present, absent with a
 * reason, hours), everyone scheduled present at once, and the day saved in one request.
 */
export function DaySheetEditor({ sheetId, date, sheet, canWrite }: DaySheetEditorProps) {
  const { t } = useTranslation();
  const save = useSaveDay(sheetId, date);
  const rows = sheet.rows;
  const baseline = useMemo(() => new Map(rows.map((row) => [row.period_id, stored(row)])), [rows]);
  const [drafts, setDrafts] = useState<Map<string, Draft>>(() => new Map(baseline));
  const [active, setActive] = useState(0);
  const [correctionReason, setCorrectionReason] = useState('');
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const helpId = useId();

  const draftOf = (row: SheetRow): Draft => drafts.get(row.period_id) ?? stored(row);
  const changed = rows.filter((row) => {
    const before = baseline.get(row.period_id);
    return before ? !sameDraft(before, draftOf(row)) : false;
  });
  const dirty = changed.length > 0;
  const corrections = changed.filter((row) => row.record);
  const entries = rows.flatMap((row) => {
    const sent = mark(row, draftOf(row));
    return sent ? [sent] : [];
  });
  const marked = rows.filter((row) => draftOf(row).status !== null).length;
  const scheduled = rows.filter((row) => row.scheduled);
  const unmarkedScheduled = scheduled.filter((row) => draftOf(row).status === null);
  // Presence cannot be marked ahead (agreed absences can).
  const future = date > todayIso();

  const blocker = useBlocker({
    shouldBlockFn: () => dirty && !save.isPending,
    enableBeforeUnload: () => dirty,
    withResolver: true,
  });

  // Errors of the last save, on the rows they belong to (`entries[i].field`).
  const rowErrors = new Map<string, RowErrors>();
  const sheetErrors: string[] = [];
  if (isApiError(save.error, 422) && save.variables) {
    for (const error of save.error.fieldErrors) {
      const match = /^entries\[(\d+)\]\.(\w+)$/.exec(error.field);
      const entry = match ? save.variables.entries[Number(match[1])] : undefined;
      const field = match?.[2] ?? error.field;
      const message = fieldErrorMessage(t, field, error.code);
      if (!entry) {
        sheetErrors.push(message);
        continue;
      }
      const errors = rowErrors.get(entry.period_id) ?? {};
      const slot = field === 'hours' || field === 'absence_reason' || field === 'note' ? field : 'row';
      (errors[slot] ??= []).push(message);
      rowErrors.set(entry.period_id, errors);
    }
  }

  const update = (row: SheetRow, change: Partial<Draft>) => {
    setDrafts((current) => {
      const next = new Map(current);
      const draft = { ...(current.get(row.period_id) ?? stored(row)), ...change };
      if (draft.status === 'present') draft.reason = '';
      if (draft.status !== 'present') {
        draft.hours = '';
        draft.startsAt = null;
        draft.endsAt = null;
      }
      if (draft.status === null) draft.note = '';
      next.set(row.period_id, draft);
      return next;
    });
  };

  const present = (row: SheetRow) => {
    const draft = draftOf(row);
    update(row, {
      status: 'present',
      hours: draft.status === 'present' ? draft.hours : (row.planned_hours ?? ''),
    });
  };

  const allPresent = () => {
    setDrafts((current) => {
      const next = new Map(current);
      for (const row of unmarkedScheduled) {
        next.set(row.period_id, { ...stored(row), status: 'present', hours: row.planned_hours ?? '', reason: '', note: '' });
      }
      return next;
    });
  };

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    setActive(target);
    rowRefs.current[target]?.focus();
  };

  const submit = () => {
    if (!canWrite || entries.length === 0 || save.isPending) return;
    save.mutate(
      { entries, reason: corrections.length > 0 && correctionReason.trim() ? correctionReason.trim() : null },
      {
        onSuccess: (saved) => {
          // The saved rows are now the baseline; what the server stored is shown.
          setDrafts((current) => {
            const next = new Map(current);
            for (const row of saved.rows) next.set(row.period_id, stored(row));
            return next;
          });
          setCorrectionReason('');
        },
      },
    );
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: SheetRow, index: number) => {
    if (event.target !== event.currentTarget) {
      // In a field of the row, Escape returns to the row for its keys.
      if (event.key === 'Escape') {
        event.preventDefault();
        focusRow(index);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    let handled = true;
    if (key === 'arrowdown' || key === 'j') focusRow(index + 1);
    else if (key === 'arrowup' || key === 'k') focusRow(index - 1);
    else if (key === 'home') focusRow(0);
    else if (key === 'end') focusRow(rows.length - 1);
    else if (!canWrite) handled = false;
    else if (key === 'p') {
      if (future) return;
      present(row);
      focusRow(index + 1);
    } else if (key === 'a') update(row, { status: 'absent' });
    else if (reasonKeys[key]) {
      update(row, { status: 'absent', reason: reasonKeys[key] });
      if (reasonKeys[key] !== 'other') focusRow(index + 1);
    } else if (key === 'delete' || key === 'backspace' || key === '0') update(row, { status: null });
    else handled = false;
    if (handled) event.preventDefault();
  };

  const reasonOptions = [
    { value: '', label: t('attendance.sheet.chooseReason') },
    ...absenceReasons.map((value) => ({ value, label: t(`attendance.reasons.${value}`) })),
  ];

  return (
    <Stack
      gap="sm"
      onKeyDown={(event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
          event.preventDefault();
          submit();
        }
      }}
    >
      <Paper withBorder p="xs" id={helpId} data-testid="sheet-keys">
        <Text size="sm">
          {t('attendance.keys.intro')} <Kbd>↑</Kbd> <Kbd>↓</Kbd> / <Kbd>K</Kbd> <Kbd>J</Kbd> {t('attendance.keys.move')} ·{' '}
          <Kbd>P</Kbd> {t('attendance.keys.present')} · <Kbd>A</Kbd> {t('attendance.keys.absent')} · <Kbd>1</Kbd>–<Kbd>5</Kbd>{' '}
          {t('attendance.keys.reasons')} · <Kbd>Del</Kbd> {t('attendance.keys.clear')} · <Kbd>Esc</Kbd> {t('attendance.keys.escape')} ·{' '}
          <Kbd>Ctrl</Kbd>+<Kbd>S</Kbd> {t('attendance.keys.save')}
        </Text>
      </Paper>

      <Paper withBorder p="xs" className={classes.toolbar}>
        <Group justify="space-between" gap="sm">
          <Group gap="sm">
            {canWrite && (
              <Button variant="default" size="sm" onClick={allPresent} disabled={unmarkedScheduled.length === 0 || future}>
                {t('attendance.sheet.allPresent', { count: unmarkedScheduled.length })}
              </Button>
            )}
            <Text size="sm" role="status" aria-live="polite" data-testid="sheet-counts">
              {t('attendance.sheet.counts', { marked, total: rows.length })}
              {dirty ? ` · ${t('attendance.sheet.unsaved', { count: changed.length })}` : ''}
            </Text>
          </Group>
          {canWrite && (
            <Button size="sm" onClick={submit} loading={save.isPending} disabled={entries.length === 0 || !dirty}>
              {t('attendance.sheet.save')}
            </Button>
          )}
        </Group>
        {canWrite && corrections.length > 0 && (
          <TextInput
            mt="xs"
            size="sm"
            label={t('attendance.sheet.correctionReason')}
            description={t('attendance.sheet.correctionHelp', { count: corrections.length })}
            value={correctionReason}
            maxLength={500}
            onChange={(event) => {
              setCorrectionReason(event.currentTarget.value);
            }}
          />
        )}
      </Paper>

      {save.isSuccess && !dirty && (
        <Alert color="success" role="status" data-testid="sheet-saved">
          {t('attendance.sheet.saved', { count: save.data.changed })}
        </Alert>
      )}
      {isApiError(save.error, 422) ? (
        <Alert color="alert" title={t('attendance.sheet.invalid')} role="alert" data-testid="sheet-errors">
          {sheetErrors.length > 0 ? <List>{sheetErrors.map((message) => <List.Item key={message}>{message}</List.Item>)}</List> : t('attendance.sheet.invalidRows')}
        </Alert>
      ) : (
        save.isError && <ErrorState error={save.error} />
      )}

      <Table.ScrollContainer minWidth={760}>
        <Table
          verticalSpacing={4}
          horizontalSpacing="xs"
          className={classes.table}
          aria-describedby={helpId}
          data-testid="day-sheet"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('attendance.sheet.columns.name')}</Table.Th>
              <Table.Th scope="col">{t('attendance.sheet.columns.mark')}</Table.Th>
              <Table.Th scope="col">{t('attendance.sheet.columns.hours')}</Table.Th>
              <Table.Th scope="col">{t('attendance.sheet.columns.reason')}</Table.Th>
              <Table.Th scope="col">{t('attendance.sheet.columns.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => {
              const draft = draftOf(row);
              const name = `${row.last_name}, ${row.first_names}`;
              const errors = rowErrors.get(row.period_id) ?? {};
              const firstUnscheduled = !row.scheduled && (index === 0 || rows[index - 1]?.scheduled);
              const before = baseline.get(row.period_id);
              const rowChanged = before ? !sameDraft(before, draft) : false;
              return (
                <Fragment key={row.period_id}>
                  {firstUnscheduled && (
                    <Table.Tr>
                      <Table.Th scope="rowgroup" colSpan={5} className={classes.divider}>
                        {t('attendance.sheet.notScheduled')}
                      </Table.Th>
                    </Table.Tr>
                  )}
                  <Table.Tr
                    ref={(element) => {
                      rowRefs.current[index] = element;
                    }}
                    tabIndex={index === active ? 0 : -1}
                    onFocus={() => {
                      setActive(index);
                    }}
                    onKeyDown={(event) => {
                      onRowKeyDown(event, row, index);
                    }}
                    className={classes.row}
                    data-testid="sheet-row"
                    data-period={row.period_id}
                    data-status={draft.status ?? 'none'}
                    data-changed={rowChanged || undefined}
                    aria-label={name}
                  >
                    <Table.Th scope="row" className={classes.name}>
                      <Text size="sm" fw={600} span>
                        {name}
                      </Text>
                      {row.planned_hours != null && row.scheduled && (
                        <Text size="xs" c="dimmed" span>
                          {' '}
                          {t('attendance.sheet.planned', { hours: formatNumber(row.planned_hours) })}
                        </Text>
                      )}
                      {row.warnings.map((warning) => (
                        <Badge key={warning.code} color="warning" variant="light" size="sm" ml={4} data-testid="row-warning">
                          {translateIfExists(`attendance.warnings.${warning.code}`) ?? t('attendance.warnings.other')}
                        </Badge>
                      ))}
                      {errors.row?.map((message) => (
                        <Text key={message} size="xs" c="var(--mantine-color-error)" data-testid="row-error">
                          {message}
                        </Text>
                      ))}
                    </Table.Th>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant={draft.status === 'present' ? 'filled' : 'default'}
                          color="success"
                          aria-pressed={draft.status === 'present'}
                          aria-label={`${t('attendance.status.present')}: ${name}`}
                          disabled={!canWrite || future}
                          tabIndex={-1}
                          onClick={() => {
                            present(row);
                          }}
                        >
                          {t('attendance.status.present')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant={draft.status === 'absent' ? 'filled' : 'default'}
                          color="alert"
                          aria-pressed={draft.status === 'absent'}
                          aria-label={`${t('attendance.status.absent')}: ${name}`}
                          disabled={!canWrite}
                          tabIndex={-1}
                          onClick={() => {
                            update(row, { status: 'absent' });
                          }}
                        >
                          {t('attendance.status.absent')}
                        </Button>
                        {draft.status !== null && canWrite && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            tabIndex={-1}
                            aria-label={`${t('attendance.sheet.clear')}: ${name}`}
                            onClick={() => {
                              update(row, { status: null });
                            }}
                          >
                            {t('attendance.sheet.clear')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {draft.status === 'present' && (
                        <NumberInput
                          size="xs"
                          w={90}
                          aria-label={`${t('attendance.sheet.columns.hours')}: ${name}`}
                          min={0.25}
                          max={24}
                          step={0.5}
                          decimalScale={2}
                          decimalSeparator=","
                          value={draft.hours}
                          disabled={!canWrite}
                          onChange={(value) => {
                            update(row, { hours: typeof value === 'number' ? value : '' });
                          }}
                          error={errors.hours?.join(' ')}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      {draft.status === 'absent' && (
                        <NativeSelect
                          size="xs"
                          aria-label={`${t('attendance.sheet.columns.reason')}: ${name}`}
                          data={reasonOptions}
                          value={draft.reason}
                          disabled={!canWrite}
                          onChange={(event) => {
                            update(row, { reason: event.currentTarget.value as AbsenceReason | '' });
                          }}
                          error={errors.absence_reason?.join(' ')}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      {draft.status !== null && (
                        <TextInput
                          size="xs"
                          aria-label={`${t('attendance.sheet.columns.note')}: ${name}`}
                          value={draft.note}
                          maxLength={1000}
                          disabled={!canWrite}
                          onChange={(event) => {
                            update(row, { note: event.currentTarget.value });
                          }}
                          error={errors.note?.join(' ')}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal
        opened={blocker.status === 'blocked'}
        onClose={() => blocker.reset?.()}
        title={t('attendance.sheet.leaveTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="md">
          <Text>{t('attendance.sheet.leaveBody', { count: changed.length })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => blocker.reset?.()}>
              {t('attendance.sheet.stay')}
            </Button>
            <Button color="alert" onClick={() => blocker.proceed?.()}>
              {t('attendance.sheet.leave')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
