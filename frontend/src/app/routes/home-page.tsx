import { Anchor, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { ServerStatus } from '@/features/system/components/server-status';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle();

  return (
    <Container size="sm">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{t('app.name')}</Title>
          <Text size="lg">{t('app.description')}</Text>
        </Stack>
        <ServerStatus />
        {/* Served by the backend, outside the SPA: a plain link, not a router link. */}
        <Anchor href="/api/docs/">{t('app.apiDocs')}</Anchor>
      </Stack>
    </Container>
  );
}
