import { Button, Code, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** The one-time recovery codes, shown once, with the heading focused so they are read out. */
export function RecoveryCodes({ codes, onContinue, headingOrder = 2 }: { codes: string[]; onContinue: () => void; headingOrder?: 2 | 3 }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <Stack gap="md">
      <Title order={headingOrder} ref={headingRef} tabIndex={-1}>
        {t('auth.recovery.heading')}
      </Title>
      <Text>{t('auth.recovery.intro')}</Text>
      <List type="ordered" data-testid="recovery-codes">
        {codes.map((code) => (
          <List.Item key={code}>
            <Code>{code}</Code>
          </List.Item>
        ))}
      </List>
      <Button onClick={onContinue}>{t('auth.recovery.continue')}</Button>
    </Stack>
  );
}
