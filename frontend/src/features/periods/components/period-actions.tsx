import { Badge, Button, Collapse, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';

import { useCodeName } from '@/lib/code-lists';
import { formatDate } from '@/lib/format';
import { useCan } from '@/lib/me';

import type { Period } from '../api/types';
import { ClosePeriodDialog } from './close-period-dialog';
import { EditPeriodForm } from './edit-period-form';

/** Ongoing or ended (on which day). */
export function PeriodStateBadge({ period }: { period: Period }) {
  const { t } = useTranslation();
  return period.ends_on ? (
    <Badge variant="light" color="depth" data-testid="period-state">
      {t('periodActions.state.ended', { date: formatDate(period.ends_on) })}
    </Badge>
  ) : (
    <Badge variant="light" color="success" data-testid="period-state">
      {t('periodActions.state.ongoing')}
    </Badge>
  );
}

/** Where the client went after the period: the outcome class and its sub-code. */
export function useOutcomeText(): (period: Period) => string {
  const { t } = useTranslation();
  const outcomeName = useCodeName('outcome');
  return (period) => {
    if (!period.outcome) return '';
    const outcome = t(`periodActions.outcomes.${period.outcome}`);
    return period.outcome_code ? `${outcome}: ${outcomeName(period.outcome_code)}` : outcome;
  };
}

/** An ended period's outcome and closing note, for the period's page. */
export function PeriodOutcome({ period }: { period: Period }) {
  const { t } = useTranslation();
  const outcomeText = useOutcomeText();
  if (!period.ends_on) return null;
  return (
    <Stack gap={4} data-testid="period-outcome">
      <Text>
        <Text span c="dimmed" size="sm">
          {t('periodActions.fields.outcome')}:{' '}
        </Text>
        {outcomeText(period) || t('common.unknown')}
      </Text>
      {period.closing_note && (
        <Text>
          <Text span c="dimmed" size="sm">
            {t('periodActions.fields.closingNote')}:{' '}
          </Text>
          <Text span style={{ whiteSpace: 'pre-wrap' }}>
            {period.closing_note}
          </Text>
        </Text>
      )}
    </Stack>
  );
}

/** A writer's actions on a period: correct it, and end an ongoing one. */
export function PeriodActions({ period }: { period: Period }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [editing, edit] = useDisclosure(false);
  const [closing, closeDialog] = useDisclosure(false);
  if (!canWrite) return null;
  return (
    <Stack gap="xs">
      {!editing && (
        <Group>
          <Button variant="default" onClick={edit.open}>
            {t('periodActions.edit.button')}
          </Button>
          {!period.ends_on && (
            <Button variant="default" onClick={closeDialog.open}>
              {t('periodActions.close.button')}
            </Button>
          )}
        </Group>
      )}
      <Collapse expanded={editing}>{editing && <EditPeriodForm period={period} onDone={edit.close} />}</Collapse>
      {!period.ends_on && closing && <ClosePeriodDialog period={period} opened={closing} onClose={closeDialog.close} />}
    </Stack>
  );
}
