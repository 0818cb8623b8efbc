import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useRouter } from '@tanstack/react-router';
import { useEffect } from 'react';

import { useSessionState } from '@/hooks/use-session-state';

/**
 * The signed-in area. When the session can no longer be renewed (expired, revoked, the user
 * deactivated), client data is dropped from memory and the user is sent to log in, to come
 * back to where they were.
 */
export function AppLayout() {
  const session = useSessionState();
  const router = useRouter();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (session === 'expired') {
      queryClient.clear();
      void router.navigate({ to: '/login', search: { redirect: router.state.location.href, expired: true } });
    } else if (session === 'anonymous') {
      // Logged out (here or, with the same cookie, in another tab).
      queryClient.clear();
      void router.navigate({ to: '/login' });
    }
  }, [session, router, queryClient]);

  return <Outlet />;
}
