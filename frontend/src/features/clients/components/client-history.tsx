import { Badge, Button, Collapse, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { mapFieldErrors } from '@/lib/field-errors';
import { formatDate } from '@/lib/format';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useCreateHistoryEntry, useHistory } from '../api/list-history';
import type { HistoryEntry } from '../api/types';
import { HistoryCorrection } from './history-correction';

type Kind = HistoryEntry['kind'];
const sensitiveKinds: Kind[] = ['health', 'substance_use'];

function AddHistoryEntry({ clientId, onDone }: { clientId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const canSensitive = useCan('sensitive_history');
  const create = useCreateHistoryEntry(clientId);
  const kinds: Kind[] = canSensitive ? ['education', 'work', 'health', 'substance_use'] : ['education', 'work'];
  const [kind, setKind] = useState<Kind>('education');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [occupation, setOccupation] = useState('');
  const [description, setDescription] = useState('');
  const errors = isApiError(create.error, 422)
    ? mapFieldErrors(t, create.error.fieldErrors, ['starts_on', 'ends_on', 'occupation', 'description']).byField
    : {};

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            {
              kind,
              starts_on: startsOn || null,
              ends_on: endsOn || null,
              occupation: kind === 'work' && occupation.trim() ? occupation.trim() : null,
              description: description.trim() || null,
            },
            { onSuccess: onDone },
          );
        }}
      >
        <Stack gap="sm">
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('history.kind')}
              value={kind}
              onChange={(event) => {
                setKind(event.currentTarget.value as Kind);
              }}
              data={kinds.map((value) => ({ value, label: t(`history.kinds.${value}`) }))}
            />
            <DateField
              label={t('history.startsOn')}
              value={startsOn}
              onChange={(value) => {
                setStartsOn(value);
              }}
              error={errors.starts_on}
            />
            <DateField
              label={t('history.endsOn')}
              value={endsOn}
              onChange={(value) => {
                setEndsOn(value);
              }}
              error={errors.ends_on}
            />
          </SimpleGrid>
          {kind === 'work' && (
            <TextInput
              label={t('history.occupation')}
              value={occupation}
              onChange={(event) => {
                setOccupation(event.currentTarget.value);
              }}
              error={errors.occupation}
            />
          )}
          <Textarea
            label={t('history.description')}
            autosize
            minRows={2}
            value={description}
            onChange={(event) => {
              setDescription(event.currentTarget.value);
            }}
            error={errors.description}
          />
          {sensitiveKinds.includes(kind) && <Text size="sm">{t('history.sensitiveNote')}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function HistoryItem({ clientId, entry, canWrite }: { clientId: string; entry: HistoryEntry; canWrite: boolean }) {
  const { t } = useTranslation();
  const [correcting, setCorrecting] = useState(false);
  return (
    <Paper component="li" withBorder p="sm" data-testid="history-entry">
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <Badge variant="light" color={sensitiveKinds.includes(entry.kind) ? 'alert' : 'highlight'}>
            {t(`history.kinds.${entry.kind}`)}
          </Badge>
          <Text size="sm">
            {[formatDate(entry.starts_on), formatDate(entry.ends_on)].filter(Boolean).join(' – ') || t('history.noDates')}
          </Text>
          {entry.occupation && <Text fw={600}>{entry.occupation}</Text>}
        </Group>
        {canWrite && !correcting && (
          <Button
            size="compact-sm"
            variant="default"
            onClick={() => {
              setCorrecting(true);
            }}
            aria-label={t('clientActions.history.correctFor', { kind: t(`history.kinds.${entry.kind}`) })}
          >
            {t('clientActions.history.correct')}
          </Button>
        )}
      </Group>
      {correcting ? (
        <HistoryCorrection
          clientId={clientId}
          entry={entry}
          onDone={() => {
            setCorrecting(false);
          }}
        />
      ) : (
        entry.description && (
          <Text mt={4} style={{ whiteSpace: 'pre-wrap' }}>
            {entry.description}
          </Text>
        )
      )}
    </Paper>
  );
}

/** Education, work and — for those with the grant — health and substance-use history. */
export function ClientHistory({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const history = useHistory(clientId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const canSensitive = useCan('sensitive_history');
  const [adding, { open, close }] = useDisclosure(false);

  return (
    <QuerySection
      title={t('history.title')}
      query={history}
      isEmpty={(entries) => entries.length === 0}
      empty={t('history.empty')}
      testId="history"
      actions={
        <Stack gap="xs">
          {!canSensitive && <Text size="sm" c="dimmed">{t('history.sensitiveHidden')}</Text>}
          {canWrite && !adding && (
            <Group>
              <Button variant="default" size="sm" onClick={open}>
                {t('history.add')}
              </Button>
            </Group>
          )}
          <Collapse expanded={adding}>{adding && <AddHistoryEntry clientId={clientId} onDone={close} />}</Collapse>
        </Stack>
      }
    >
      {(entries) => (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {entries.map((entry) => (
            <HistoryItem key={entry.id} clientId={clientId} entry={entry} canWrite={canWrite} />
          ))}
        </Stack>
      )}
    </QuerySection>
  );
}
