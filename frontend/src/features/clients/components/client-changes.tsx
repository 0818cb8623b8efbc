import { Paper, Stack, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { QuerySection } from '@/components/query-section';
import { translateIfExists } from '@/lib/field-errors';
import { formatDateTime } from '@/lib/format';
import { useCan, useMe } from '@/lib/me';

import { useChanges } from '../api/list-changes';

function previousValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The rectification history: who changed what and when, with the values before. */
export function ClientChanges({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = useCan('client_changes_read');
  const changes = useChanges(clientId, allowed);
  if (!allowed) return null;

  return (
    <QuerySection
      title={t('changes.title')}
      query={changes}
      isEmpty={(items) => items.length === 0}
      empty={t('changes.empty')}
      permissions={['client_changes_read']}
      testId="changes"
    >
      {(items) => (
        <Paper withBorder p="md">
          <Timeline bulletSize={14} lineWidth={2}>
            {items.map((change) => {
              const who =
                change.changed_by_user_id && change.changed_by_user_id === me?.id
                  ? t('changes.byYou')
                  : (change.changed_by_name ??
                    (change.changed_by_api_client_id ? t('changes.byIntegration') : t('changes.byOther')));
              const previous = change.previous as Record<string, unknown>;
              return (
                <Timeline.Item
                  key={change.id}
                  title={`${formatDateTime(change.changed_at)} · ${who}`}
                >
                  <Stack gap={2}>
                    <Text size="sm">
                      {change.record_type === 'history_entry' ? t('changes.historyEntry') : t('changes.client')}
                    </Text>
                    {change.fields.map((field) => (
                      <Text size="sm" key={field}>
                        {t('changes.field', {
                          field: translateIfExists(`clients.fields.${field}`) ?? field,
                          previous: previousValue(previous[field]),
                        })}
                      </Text>
                    ))}
                    {change.reason && (
                      <Text size="sm" fs="italic">
                        {t('changes.reason', { reason: change.reason })}
                      </Text>
                    )}
                  </Stack>
                </Timeline.Item>
              );
            })}
          </Timeline>
        </Paper>
      )}
    </QuerySection>
  );
}
