import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { translateIfExists } from '@/lib/field-errors';

import type { RuleWarning } from '../api/types';

/** Where a schedule breaks the service type's rules: warned about, not refused. */
export function RuleWarnings({ warnings }: { warnings: RuleWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <Alert color="warning" title={t('periods.warnings.title')} data-testid="rule-warnings">
      <List>
        {warnings.map((warning) => (
          <List.Item key={warning.code}>{translateIfExists(`periods.warnings.${warning.code}`) ?? t('periods.warnings.other')}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
