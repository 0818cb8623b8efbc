import { useMutation } from '@tanstack/react-query';

import type { components } from '@/api/schema';
import { apiClient } from '@/lib/api-client';
import { unwrap } from '@/lib/problem';

export type LoginRequest = components['schemas']['LoginRequest'];
export type LoginResponse = components['schemas']['LoginResponse'];

export async function login(body: LoginRequest): Promise<LoginResponse> {
  return unwrap(await apiClient.POST('/api/v1/auth/login', { body }));
}

export const useLogin = () => useMutation({ mutationFn: login });
