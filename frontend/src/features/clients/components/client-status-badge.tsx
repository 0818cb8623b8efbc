import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { Client } from '../api/types';

export function ClientStatusBadge({ status }: { status: Client['status'] }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'success' : 'depth';
  return (
    <Badge variant="light" color={color}>
      {t(`clients.status.${status}`)}
    </Badge>
  );
}
