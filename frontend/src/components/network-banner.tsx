import { Alert } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

import { isNetworkReachable, subscribeNetwork } from '@/lib/network';

/** A clear banner while the server cannot be reached; what the user typed stays in the forms. */
export function NetworkBanner() {
  const { t } = useTranslation();
  const reachable = useSyncExternalStore(subscribeNetwork, isNetworkReachable);
  // The live region exists all the time, so screen readers announce the change.
  return (
    <div role="alert" data-testid="network-banner" data-state={reachable ? 'online' : 'offline'}>
      {!reachable && (
        <Alert color="alert" variant="filled" radius={0} title={t('network.offlineTitle')}>
          {t('network.offlineBody')}
        </Alert>
      )}
    </div>
  );
}
