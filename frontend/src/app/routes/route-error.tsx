import { Container } from '@mantine/core';
import { useRouter, type ErrorComponentProps } from '@tanstack/react-router';

import { ErrorState } from '@/components/states';

export function RouteError({ error }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <Container size="md">
      <ErrorState error={error} onRetry={() => void router.invalidate()} />
    </Container>
  );
}
