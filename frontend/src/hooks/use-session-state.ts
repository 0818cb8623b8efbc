import { useSyncExternalStore } from 'react';

import { getSessionState, subscribeSession, type SessionState } from '@/lib/session';

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState);
}
