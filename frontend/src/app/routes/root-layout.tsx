import { AppShell, Burger, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { LanguageSwitcher } from '@/components/language-switcher';
import { NetworkBanner } from '@/components/network-banner';
import { useLogout } from '@/features/auth/api/logout';
import { useSessionState } from '@/hooks/use-session-state';
import { meQueryOptions, useCan } from '@/lib/me';

import classes from './root-layout.module.css';

const mainContentId = 'main-content';

function MainNavigation({ onNavigate, withAccount = false }: { onNavigate?: () => void; withAccount?: boolean }) {
  const { t } = useTranslation();
  const canReadClients = useCan('clients_read_own_units', 'clients_read_all');
  const canReadAllowances = useCan('allowances_read');
  return (
    <nav aria-label={t('nav.label')}>
      <Group component="ul" gap="lg" className={classes.navList}>
        <li>
          <AnchorLink to="/" className={classes.navLink} activeOptions={{ exact: true }} onClick={onNavigate}>
            {t('nav.home')}
          </AnchorLink>
        </li>
        <li>
          <AnchorLink to="/clients" className={classes.navLink} onClick={onNavigate}>
            {t('nav.clients')}
          </AnchorLink>
        </li>
        {canReadClients && (
          <li>
            <AnchorLink to="/attendance" className={classes.navLink} onClick={onNavigate}>
              {t('nav.attendance')}
            </AnchorLink>
          </li>
        )}
        {canReadAllowances && (
          <li>
            <AnchorLink to="/allowances" className={classes.navLink} onClick={onNavigate}>
              {t('nav.allowances')}
            </AnchorLink>
          </li>
        )}
        {withAccount && (
          <li>
            <AnchorLink to="/account" className={classes.navLink} onClick={onNavigate}>
              {t('account.heading')}
            </AnchorLink>
          </li>
        )}
      </Group>
    </nav>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const router = useRouter();
  const logout = useLogout();
  const { data: me } = useQuery(meQueryOptions());
  if (!me) return null;
  return (
    <Group gap="sm" wrap="nowrap">
      <Stack gap={0} visibleFrom="sm" align="flex-end">
        <AnchorLink to="/account" size="sm" fw={600} data-testid="current-user" title={t('account.open')}>
          {me.display_name}
        </AnchorLink>
        <Text size="xs" c="dimmed">
          {me.organisation.name}
        </Text>
      </Stack>
      <Button
        variant="default"
        size="sm"
        loading={logout.isPending}
        onClick={() => {
          // The layout leaves the signed-in area as soon as the session ends; this is the fallback.
          void logout
            .mutateAsync()
            .catch(() => undefined)
            .then(() => router.navigate({ to: '/login' }));
        }}
      >
        {t('auth.logout')}
      </Button>
    </Group>
  );
}

export function RootLayout() {
  const { t } = useTranslation();
  const session = useSessionState();
  const signedIn = session === 'authenticated';
  const [opened, { toggle, close }] = useDisclosure(false);

  return (
    <>
      <a href={`#${mainContentId}`} className={classes.skipLink}>
        {t('app.skipToContent')}
      </a>
      <AppShell header={{ height: 64 }} padding="md">
        <AppShell.Header className={classes.header}>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="xl" wrap="nowrap">
              {signedIn && (
                <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label={t('nav.toggle')} />
              )}
              <AnchorLink to="/" fw={700} size="xl" underline="never" className={classes.brand}>
                {t('app.name')}
                <VisuallyHidden> – {t('nav.home')}</VisuallyHidden>
              </AnchorLink>
              {signedIn && (
                <Group visibleFrom="md">
                  <MainNavigation />
                </Group>
              )}
            </Group>
            <Group gap="md" wrap="nowrap">
              <LanguageSwitcher />
              {signedIn && <UserMenu />}
            </Group>
          </Group>
          {signedIn && opened && (
            <div className={classes.mobileNav}>
              <MainNavigation onNavigate={close} withAccount />
            </div>
          )}
        </AppShell.Header>
        {/* Focusable so the skip link moves keyboard focus, not only the viewport. */}
        <AppShell.Main id={mainContentId} tabIndex={-1} className={classes.main}>
          <NetworkBanner />
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </>
  );
}
