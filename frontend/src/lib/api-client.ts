import createClient, { type Middleware } from 'openapi-fetch';

import type { paths } from '@/api/schema';

import { withAccessReason } from './access-reason';
import { reportNetworkFailure, reportNetworkSuccess } from './network';
import { getAccessToken, refreshSession } from './session';

// Endpoints that take no bearer token and whose 401 means "wrong credentials", not "expired".
const publicPaths = new Set<string>([
  '/api/v1/auth/login',
  '/api/v1/auth/login/mfa',
  '/api/v1/auth/login/mfa-setup',
  '/api/v1/auth/login/mfa-confirm',
  '/api/v1/auth/refresh',
  '/api/v1/auth/password/set',
  '/healthz',
  '/readyz',
]);

// A copy of each authenticated request as sent, so it can be repeated after a refresh.
const replayable = new Map<string, Request>();

/**
 * The one place 401 is handled: every API request carries the in-memory access token; a 401
 * refreshes the session through the cookie once and repeats the request, and when the
 * session cannot be renewed it ends as `expired` (the app sends the user to log in and back).
 */
export const authMiddleware: Middleware = {
  onRequest({ request: sent, schemaPath, id }) {
    if (publicPaths.has(schemaPath)) return sent;
    // Another unit's client: the reason the user stated goes with every read (and is logged).
    const request = withAccessReason(sent, schemaPath);
    const token = getAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    replayable.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id }) {
    reportNetworkSuccess();
    const original = replayable.get(id);
    replayable.delete(id);
    if (response.status !== 401 || !original) return response;
    // On failure refreshSession has already ended the session (or we are offline).
    if (!(await refreshSession())) return response;
    const retry = original.clone();
    retry.headers.set('Authorization', `Bearer ${getAccessToken() ?? ''}`);
    return globalThis.fetch(retry);
  },
  onError({ error, id, request }) {
    replayable.delete(id);
    // An aborted request (navigation, a newer search) is not a network failure.
    if (!request.signal.aborted && error instanceof TypeError) reportNetworkFailure();
    return error instanceof Error ? error : new Error(String(error));
  },
};

/**
 * The typed client of the Polku API, generated from `openapi/openapi.json`. Every request
 * to the server goes through it.
 */
export const apiClient = createClient<paths>({
  // The API is same-origin; `Request` needs an absolute URL.
  baseUrl: window.location.origin,
  // Resolved per request rather than captured at import, so tests can stub `fetch`.
  fetch: (request) => globalThis.fetch(request),
  credentials: 'same-origin',
});

apiClient.use(authMiddleware);
