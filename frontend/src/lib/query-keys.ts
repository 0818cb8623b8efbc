import type { paths } from '@/api/schema';

/** The methods whose answers are cached as queries (a search is a POST, its terms in the body). */
type QueryMethod = 'get' | 'post';

/** The API's paths that answer `method`. */
type PathOf<M extends QueryMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];

/**
 * A query's key: the operation's `[method, path]`, then what picks one of its answers (ids
 * first, then the query). Every key is made here, so a mutation reaches an operation's cached
 * answers by a prefix of it: `apiKey('get', path)` for all of them, `apiKey('get', path, id)`
 * for one resource's. The path is checked against the API's spec.
 */
export function apiKey<M extends QueryMethod, P extends PathOf<M>, const A extends readonly unknown[] = []>(
  method: M,
  path: P,
  ...params: A
): readonly [M, P, ...A] {
  return [method, path, ...params];
}
