import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { translateIfExists } from '@/lib/field-errors';
import type { Permission } from '@/lib/me';
import { isApiError } from '@/lib/problem';

/** A list or page being loaded, announced politely. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="lg" role="status" aria-live="polite" data-testid="loading">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text>{label ?? t('states.loading')}</Text>
      </Group>
    </Center>
  );
}

/** A list with nothing in it, saying so (and what to do about it). */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" py="sm" data-testid="empty">
      {children}
    </Text>
  );
}

/** Why the user may not see or do something: the permissions they would need. */
export function ForbiddenState({ permissions }: { permissions?: Permission[] }) {
  const { t } = useTranslation();
  return (
    <Alert color="warning" title={t('errors.forbiddenTitle')} data-testid="forbidden">
      <Stack gap="xs">
        <Text>{t('errors.forbidden')}</Text>
        {permissions && permissions.length > 0 && (
          <Text>
            {t('errors.missingPermission', {
              permissions: permissions.map((p) => translateIfExists(`permissions.${p}`) ?? p).join(t('common.or')),
            })}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/** A failed request: what went wrong in the user's words, and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  permissions,
}: {
  error: unknown;
  onRetry?: () => void;
  /** What the failed view needs, named on a 403. */
  permissions?: Permission[];
}) {
  const { t } = useTranslation();
  if (isApiError(error, 403)) {
    // The view's own list, else the permission the server named.
    const named = permissions ?? (error.problem?.permission ? [error.problem.permission] : undefined);
    return <ForbiddenState {...(named ? { permissions: named } : {})} />;
  }
  let message: string;
  if (isApiError(error, 404)) message = t('errors.notFound');
  else if (isApiError(error, 503)) message = t('errors.unavailable');
  else if (isApiError(error)) message = t('errors.unexpected');
  else message = t('errors.network');
  return (
    <Alert color="alert" title={t('errors.title')} role="alert" data-testid="error">
      <Stack gap="xs" align="flex-start">
        <Text>{message}</Text>
        {onRetry && !isApiError(error, 404) && (
          <Button variant="default" size="xs" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
