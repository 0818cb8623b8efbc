import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

import type { components } from '@/api/schema';
import { isLanguage } from '@/lib/i18n';
import { meQueryOptions } from '@/lib/me';
import { startSession } from '@/lib/session';

type Token = components['schemas']['TokenResponse'];

/** Starts the session a login produced, applies the user's language, and goes to `to`. */
export function useCompleteLogin() {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(
    (session: Token, to: string) => {
      startSession(session.access_token, session.expires_in);
      void (async () => {
        const me = await queryClient.query(meQueryOptions());
        // The user's own language preference applies from the moment they log in.
        if (isLanguage(me.language)) await i18n.changeLanguage(me.language);
        router.history.push(to);
      })();
    },
    [i18n, queryClient, router],
  );
}
