import type { components } from '@/api/schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

/** A failed API call: the HTTP status and, when the server sent one, its problem document. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  /** Seconds to wait before trying again (429, 503), from `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem | undefined, retryAfter?: number) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** The problem's slug (`urn:polku:problem:<slug>`), e.g. `validation`, `stale-version`. */
  get slug(): string | undefined {
    return this.problem?.type.replace(/^urn:polku:problem:/, '');
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'type' in value;
}

/**
 * The data of an openapi-fetch result, or an `ApiError` thrown for its failure, so that
 * TanStack Query sees failures as errors.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.error === undefined) {
    return result.data as T;
  }
  const retryAfter = Number(result.response.headers.get('Retry-After') ?? Number.NaN);
  throw new ApiError(
    result.response.status,
    isProblem(result.error) ? result.error : undefined,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}
