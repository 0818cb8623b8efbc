/**
 * The session as the browser holds it: the access token lives only in this module's memory
 * (never in localStorage or sessionStorage), the refresh token only in the HttpOnly cookie
 * the server set, scoped to `/api/v1/auth`. A reload restores the session through the cookie.
 */

import { clearAccessReasons } from './access-reason';

export type SessionState = 'unknown' | 'authenticated' | 'anonymous' | 'expired';

let accessToken: string | null = null;
let state: SessionState = 'unknown';
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function setState(next: SessionState) {
  if (state !== next) {
    state = next;
    for (const listener of listeners) listener();
  }
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts a session with a fresh access token; renews it silently before it expires. */
export function startSession(token: string, expiresInSeconds: number) {
  accessToken = token;
  clearTimeout(refreshTimer);
  // Renew at 80 % of the lifetime, so requests never carry a token about to lapse.
  const delay = Math.max(5, expiresInSeconds * 0.8) * 1000;
  refreshTimer = setTimeout(() => void refreshSession(), delay);
  setState('authenticated');
}

/** Forgets the session locally (after logout, or when the server no longer honours it). */
export function endSession(reason: 'anonymous' | 'expired' = 'anonymous') {
  accessToken = null;
  clearTimeout(refreshTimer);
  clearAccessReasons();
  setState(reason);
}

interface TokenBody {
  access_token: string;
  expires_in: number;
}

function isTokenBody(value: unknown): value is TokenBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TokenBody>).access_token === 'string' &&
    typeof (value as Partial<TokenBody>).expires_in === 'number'
  );
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one request:
 * the refresh token rotates, and using a spent one would revoke the whole session.
 * Resolves to whether a session is now live; on `false` the session has ended as
 * `expired` (it was live) or `anonymous` (there was none).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const wasLive = state === 'authenticated';
    try {
      // Plain fetch, not the API client: its middleware would try to refresh a failed refresh.
      const response = await globalThis.fetch(
        new Request(new URL('/api/v1/auth/refresh', window.location.origin), {
          method: 'POST',
          credentials: 'same-origin',
        }),
      );
      const body: unknown = response.ok ? await response.json() : null;
      if (isTokenBody(body)) {
        startSession(body.access_token, body.expires_in);
        return true;
      }
      if (response.status === 401) {
        endSession(wasLive ? 'expired' : 'anonymous');
      }
      return false;
    } catch {
      // Offline: keep what we have; the network banner tells the user, and the next
      // request or timer tries again.
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** For tests: back to a browser that has never signed in. */
export function resetSessionForTests() {
  accessToken = null;
  clearTimeout(refreshTimer);
  refreshing = null;
  state = 'unknown';
}
