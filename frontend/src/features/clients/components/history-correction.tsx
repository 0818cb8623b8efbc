import { Alert, Button, Group, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { mapFieldErrors } from '@/lib/field-errors';
import { isApiError } from '@/lib/problem';

import { useCorrectHistoryEntry } from '../api/list-history';
import type { HistoryEntry, UpdateHistoryEntryRequest } from '../api/types';

export interface HistoryCorrectionValues {
  startsOn: string;
  endsOn: string;
  occupation: string;
  description: string;
  reason: string;
}

export const historyCorrectionFields = ['starts_on', 'ends_on', 'occupation', 'description', 'reason'] as const;

/** Only what changed (`null` clears a field), with the reason when given. */
export function toHistoryCorrection(entry: HistoryEntry, values: HistoryCorrectionValues): UpdateHistoryEntryRequest {
  const body: UpdateHistoryEntryRequest = {};
  const text = (value: string) => value.trim() || null;
  if ((values.startsOn || null) !== (entry.starts_on ?? null)) body.starts_on = values.startsOn || null;
  if ((values.endsOn || null) !== (entry.ends_on ?? null)) body.ends_on = values.endsOn || null;
  if (entry.kind === 'work' && text(values.occupation) !== (entry.occupation ?? null)) body.occupation = text(values.occupation);
  if (text(values.description) !== (entry.description ?? null)) body.description = text(values.description);
  if (values.reason.trim()) body.reason = values.reason.trim();
  return body;
}

/** Corrects a background entry; the previous values and the reason go to the client's change history. */
export function HistoryCorrection({ clientId, entry, onDone }: { clientId: string; entry: HistoryEntry; onDone: () => void }) {
  const { t } = useTranslation();
  const correct = useCorrectHistoryEntry(clientId);
  const [values, setValues] = useState<HistoryCorrectionValues>({
    startsOn: entry.starts_on ?? '',
    endsOn: entry.ends_on ?? '',
    occupation: entry.occupation ?? '',
    description: entry.description ?? '',
    reason: '',
  });
  const set = (key: keyof HistoryCorrectionValues) => (value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
  };
  const errors = isApiError(correct.error, 422)
    ? mapFieldErrors(t, correct.error.fieldErrors, historyCorrectionFields)
    : { byField: {} as Record<string, string>, other: [] };
  return (
    <form
      noValidate
      aria-label={t('clientActions.history.title')}
      onSubmit={(event) => {
        event.preventDefault();
        const body = toHistoryCorrection(entry, values);
        if (Object.keys(body).every((key) => key === 'reason')) {
          onDone();
          return;
        }
        correct.mutate({ entryId: entry.id, version: entry.version, body }, { onSuccess: onDone });
      }}
    >
      <Stack gap="xs" mt="xs">
        {errors.other.length > 0 && (
          <Alert color="alert" role="alert">
            {errors.other.join(' ')}
          </Alert>
        )}
        {correct.isError && !isApiError(correct.error, 422) && <ErrorState error={correct.error} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateField label={t('history.startsOn')} value={values.startsOn} onChange={set('startsOn')} error={errors.byField.starts_on} />
          <DateField label={t('history.endsOn')} value={values.endsOn} onChange={set('endsOn')} error={errors.byField.ends_on} />
        </SimpleGrid>
        {entry.kind === 'work' && (
          <TextInput
            label={t('history.occupation')}
            value={values.occupation}
            onChange={(event) => {
              set('occupation')(event.currentTarget.value);
            }}
            error={errors.byField.occupation}
          />
        )}
        <Textarea
          label={t('history.description')}
          autosize
          minRows={2}
          value={values.description}
          onChange={(event) => {
            set('description')(event.currentTarget.value);
          }}
          error={errors.byField.description}
        />
        <TextInput
          label={t('clientActions.history.reason')}
          description={t('clientActions.history.reasonHelp')}
          maxLength={500}
          value={values.reason}
          onChange={(event) => {
            set('reason')(event.currentTarget.value);
          }}
          error={errors.byField.reason}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={correct.isPending}>
            {t('clientActions.history.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
