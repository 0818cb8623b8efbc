import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { endSession } from '@/lib/session';

export async function logout(): Promise<void> {
  try {
    await apiClient.POST('/api/v1/auth/logout');
  } finally {
    // Whatever the server said, this browser forgets the session.
    endSession('anonymous');
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // No client data stays in memory after logging out.
    onSettled: () => {
      queryClient.clear();
    },
  });
}
