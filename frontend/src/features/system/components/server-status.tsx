import { ColorSwatch, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { useReadiness } from '../api/get-readiness';

type DisplayState = 'checking' | 'ready' | 'not-ready' | 'unreachable';

const colors: Record<DisplayState, string> = {
  checking: 'var(--mantine-color-gray-6)',
  ready: 'var(--mantine-color-green-8)',
  'not-ready': 'var(--mantine-color-orange-8)',
  unreachable: 'var(--mantine-color-red-8)',
};

/** The server's readiness, rechecked periodically and announced politely when it changes. */
export function ServerStatus() {
  const { t } = useTranslation();
  const headingId = useId();
  const { data } = useReadiness();
  const state: DisplayState = data?.state ?? 'checking';

  const labels: Record<DisplayState, string> = {
    checking: t('system.status.checking'),
    ready: t('system.status.ready'),
    'not-ready': t('system.status.notReady'),
    unreachable: t('system.status.unreachable'),
  };

  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs">
      <Title order={2} size="h3" id={headingId}>
        {t('system.status.heading')}
      </Title>
      <Group gap="sm" role="status" aria-live="polite" data-testid="server-status" data-state={state}>
        <ColorSwatch color={colors[state]} size={14} withShadow={false} aria-hidden />
        <Text fw={600}>{labels[state]}</Text>
        {data?.state === 'ready' && <Text>{t('system.status.version', { version: data.version })}</Text>}
      </Group>
    </Stack>
  );
}
