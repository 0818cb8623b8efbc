import { me, readyResponse, tokenResponse } from './test-utils';

/** The unit, client and period the fake server's answers are about. */
export const unitId = '00000000-0000-7000-8000-0000000000u1';
export const clientId = '00000000-0000-7000-8000-0000000000c1';
export const periodId = '00000000-0000-7000-8000-0000000000p1';

/** What every page asks first: a session that refreshes, a coach, a ready server, the service types. */
export const signedIn = {
  'POST /api/v1/auth/refresh': tokenResponse(),
  'GET /api/v1/auth/me': me(),
  'GET /readyz': () => readyResponse(),
  'GET /api/v1/code-lists/service_type': () => Response.json([]),
};

/** A client as the server sends one to a coach (the identity code masked). */
export const client = (overrides: Record<string, unknown> = {}) => ({
  id: clientId,
  unit_id: unitId,
  first_names: 'Aino',
  last_name: 'Mäkinen',
  gender: 'female',
  language: 'fi',
  mother_tongue: 'fi',
  nationality: 'FI',
  education_level: 'unknown',
  referrer: 'unknown',
  status: 'active',
  personal_identity_code: '150390-****',
  phone: '040 111 2222',
  email: null,
  birth_date: '1990-03-15',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
  ...overrides,
});

/** The client's KTT period in a group, two days a week. */
export const period = (overrides: Record<string, unknown> = {}) => ({
  id: periodId,
  client_id: clientId,
  service_type: 'ktt',
  starts_on: '2026-09-14',
  unit_id: unitId,
  mode: 'group',
  weekdays: [1, 3],
  days_per_week: 2,
  hours_per_day: 4,
  warnings: [],
  created_at: '2026-09-01T08:00:00Z',
  updated_at: '2026-09-01T08:00:00Z',
  version: 1,
  ...overrides,
});

/** A handler of `GET /periods/{id}/page`: the period with no goals, diary or assessments unless given. */
export const periodPage =
  (contents: { period?: ReturnType<typeof period>; goals?: unknown[]; diary?: unknown[]; assessments?: unknown[] } = {}) =>
  () =>
    Response.json({ period: period(), goals: [], diary: [], assessments: [], ...contents });
