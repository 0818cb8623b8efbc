import { queryOptions, useQuery } from '@tanstack/react-query';

import type { components } from '@/api/schema';

import { apiClient } from './api-client';
import { unwrap } from './problem';
import { apiKey } from './query-keys';

export type Me = components['schemas']['MeResponse'];
export type Permission = components['schemas']['Permission'];

export const meQueryOptions = () =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/auth/me'),
    queryFn: async ({ signal }) => unwrap(await apiClient.GET('/api/v1/auth/me', { signal })),
    staleTime: 5 * 60_000,
  });

/** The signed-in user. Only used below the authenticated layout, which has loaded it. */
export function useMe(): Me | undefined {
  return useQuery(meQueryOptions()).data;
}

/** Whether the signed-in user holds any of `permissions`. */
export function useCan(...permissions: Permission[]): boolean {
  const me = useMe();
  return permissions.some((permission) => me?.permissions.includes(permission) ?? false);
}
