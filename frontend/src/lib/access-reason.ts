// The reasons the user has stated for opening another unit's client (or a period of one),
// kept for this tab only: every read of that client's records then carries the reason,
// and the server logs it with each read. Nothing is stored beyond the page's life.

/** Shortest and longest reason the server accepts (backend/src/domain/access.rs). */
export const MIN_REASON = 5;
export const MAX_REASON = 500;

/** The reads that take `access_reason`, by the id in their path (a client's or a period's). */
const readsWithReason = new Set<string>([
  '/api/v1/clients/{id}',
  '/api/v1/clients/{id}/attendance',
  '/api/v1/clients/{id}/consents',
  '/api/v1/clients/{id}/consents/timeline',
  '/api/v1/clients/{id}/consents/{consent_id}',
  '/api/v1/clients/{id}/diary',
  '/api/v1/clients/{id}/disclosures',
  '/api/v1/clients/{id}/history',
  '/api/v1/clients/{id}/periods',
  '/api/v1/clients/{id}/regularity',
  '/api/v1/periods/{period_id}',
  '/api/v1/periods/{period_id}/agreements',
  '/api/v1/periods/{period_id}/assessments',
  '/api/v1/periods/{period_id}/assessments/chart',
  '/api/v1/periods/{period_id}/attendance',
  '/api/v1/periods/{period_id}/diary',
  '/api/v1/periods/{period_id}/goals',
  '/api/v1/periods/{period_id}/page',
  '/api/v1/periods/{period_id}/regularity',
  '/api/v1/periods/{period_id}/reports',
]);

const reasons = new Map<string, string>();

/** Remembers the reason stated for opening `subjectId` (a client's or a period's id). */
export function setAccessReason(subjectId: string, reason: string) {
  reasons.set(subjectId, reason.trim());
}

export function accessReasonFor(subjectId: string): string | undefined {
  return reasons.get(subjectId);
}

/** Forgets every reason (on sign-out). */
export function clearAccessReasons() {
  reasons.clear();
}

/** Checks a reason as the server does; the code of the problem, or `null`. */
export function checkAccessReason(reason: string): 'required' | 'length' | null {
  // Characters as the server counts them (Unicode scalar values).
  const length = Array.from(reason.trim()).length;
  if (length === 0) return 'required';
  if (length < MIN_REASON || length > MAX_REASON) return 'length';
  return null;
}

/**
 * The request with the stated reason added, when it is a read that takes one and a reason
 * was stated for the client or period in its path; otherwise the request as it is.
 */
export function withAccessReason(request: Request, schemaPath: string): Request {
  if (request.method !== 'GET' || !readsWithReason.has(schemaPath)) return request;
  const url = new URL(request.url);
  // /api/v1/clients/{id}/… or /api/v1/periods/{period_id}/…
  const subjectId = url.pathname.split('/')[4];
  const reason = subjectId ? reasons.get(subjectId) : undefined;
  if (!reason || url.searchParams.has('access_reason')) return request;
  url.searchParams.set('access_reason', reason);
  return new Request(url, request);
}
