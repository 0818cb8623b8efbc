import { Stack, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';

import type { Permission } from '@/lib/me';

import { EmptyState, ErrorState, LoadingState } from './states';

interface QuerySectionProps<T> {
  title: string;
  query: UseQueryResult<T>;
  /** Whether the loaded data has nothing to show. */
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  permissions?: Permission[];
  children: (data: T) => ReactNode;
  headingOrder?: 2 | 3;
  testId?: string;
  actions?: ReactNode;
}

/** A titled section showing one query's data, with its loading, empty and error states. */
export function QuerySection<T>({
  title,
  query,
  isEmpty,
  empty,
  permissions,
  children,
  headingOrder = 2,
  testId,
  actions,
}: QuerySectionProps<T>) {
  const headingId = useId();
  let body: ReactNode;
  if (query.isPending) body = <LoadingState />;
  else if (query.isError)
    body = (
      <ErrorState
        error={query.error}
        onRetry={() => void query.refetch()}
        {...(permissions ? { permissions } : {})}
      />
    );
  else if (isEmpty(query.data)) body = <EmptyState>{empty}</EmptyState>;
  else body = children(query.data);

  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs" data-testid={testId}>
      <Title order={headingOrder} id={headingId}>
        {title}
      </Title>
      {actions}
      {body}
    </Stack>
  );
}
