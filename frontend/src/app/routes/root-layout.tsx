import { AppShell, Group } from '@mantine/core';
import { Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { LanguageSwitcher } from '@/components/language-switcher';

import classes from './root-layout.module.css';

const mainContentId = 'main-content';

export function RootLayout() {
  const { t } = useTranslation();

  return (
    <>
      <a href={`#${mainContentId}`} className={classes.skipLink}>
        {t('app.skipToContent')}
      </a>
      <AppShell header={{ height: 60 }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <AnchorLink to="/" fw={700} size="xl" underline="never">
              {t('app.name')}
            </AnchorLink>
            <LanguageSwitcher />
          </Group>
        </AppShell.Header>
        {/* Focusable so the skip link moves keyboard focus, not only the viewport. */}
        <AppShell.Main id={mainContentId} tabIndex={-1} className={classes.main}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </>
  );
}
