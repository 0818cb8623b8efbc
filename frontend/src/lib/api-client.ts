import createClient from 'openapi-fetch';

import type { paths } from '@/api/schema';

/**
 * The typed client of the Polku API, generated from `openapi/openapi.json`. Every request
 * to the server goes through it; cross-cutting handling (authentication, 401) belongs here
 * as openapi-fetch middleware.
 */
export const apiClient = createClient<paths>({
  // The API is same-origin; `Request` needs an absolute URL.
  baseUrl: window.location.origin,
  // Resolved per request rather than captured at import, so tests can stub `fetch`.
  fetch: (request) => globalThis.fetch(request),
});
