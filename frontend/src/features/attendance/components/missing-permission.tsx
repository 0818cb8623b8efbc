import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { translateIfExists } from '@/lib/field-errors';
import type { Permission } from '@/lib/me';

/** Why something on the page is not offered: what the user may not do, and the permission it needs. */
export function MissingPermission({ permissions, what }: { permissions: Permission[]; what: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="depth" variant="light" data-testid="missing-permission">
      {what}{' '}
      {t('errors.missingPermission', {
        permissions: permissions.map((p) => translateIfExists(`permissions.${p}`) ?? p).join(t('common.or')),
      })}
    </Alert>
  );
}
