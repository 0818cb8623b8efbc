import { Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));

  return (
    <Container size="sm">
      <Stack gap="md">
        <Title order={1}>{t('notFound.title')}</Title>
        <Text>{t('notFound.description')}</Text>
        <AnchorLink to="/">{t('notFound.backHome')}</AnchorLink>
      </Stack>
    </Container>
  );
}
