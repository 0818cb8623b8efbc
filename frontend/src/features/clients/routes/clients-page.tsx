import { Button, Container, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { ButtonLink } from '@/components/button-link';
import { DataTable } from '@/components/data-table';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { formatDate } from '@/lib/format';
import { useCan } from '@/lib/me';

import { isIdentityCode, searchTerms, useSearchClients } from '../api/search-clients';
import { ClientStatusBadge } from '../components/client-status-badge';

type StatusFilter = 'active' | 'closed' | 'all';

export function ClientsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('clients.title'));
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  // The search text stays in the page, not in the URL: names and identity codes do not
  // belong in browser history or server logs.
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('active');
  const [debounced] = useDebouncedValue(text, 250);
  // Finding a client by identity code is a use of the code: only for those who may look
  // codes up (and every lookup is logged). Others are told so, and nothing is sent.
  const canLookup = useCan('clients_lookup');
  const lookupRefused = !canLookup && isIdentityCode(debounced);
  const query = useSearchClients(searchTerms(debounced, status === 'all' ? undefined : status), !lookupRefused);
  const clients = lookupRefused ? [] : (query.data?.pages.flatMap((page) => page.items) ?? []);

  return (
    <Container size="xl">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-end">
          <Title order={1}>{t('clients.title')}</Title>
          {canWrite && <ButtonLink to="/clients/new">{t('clients.new')}</ButtonLink>}
        </Group>
        <Group align="flex-end" gap="md" role="search">
          <TextInput
            label={t('clients.search.label')}
            description={canLookup ? t('clients.search.help') : t('clients.search.helpWithoutLookup')}
            type="search"
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
            }}
            style={{ flex: '1 1 320px' }}
            autoComplete="off"
            data-autofocus
          />
          <NativeSelect
            label={t('clients.search.status')}
            value={status}
            onChange={(event) => {
              setStatus(event.currentTarget.value as StatusFilter);
            }}
            data={[
              { value: 'active', label: t('clients.status.active') },
              { value: 'closed', label: t('clients.status.closed') },
              { value: 'all', label: t('clients.search.all') },
            ]}
          />
        </Group>
        <Text role="status" aria-live="polite" size="sm" c="dimmed" data-testid="result-count">
          {query.isSuccess && !lookupRefused && t('clients.search.shown', { count: clients.length })}
        </Text>
        {lookupRefused ? (
          <EmptyState>{t('clients.search.lookupNotAllowed')}</EmptyState>
        ) : query.isPending ? (
          <LoadingState />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            onRetry={() => void query.refetch()}
            permissions={['clients_read_own_units', 'clients_read_all']}
          />
        ) : clients.length === 0 ? (
          <EmptyState>{debounced.trim() ? t('clients.search.noMatches') : t('clients.search.empty')}</EmptyState>
        ) : (
          <>
            <DataTable
              minWidth={640}
              highlightOnHover
              aria-label={t('clients.search.results')}
              data-testid="client-results"
              rows={clients}
              rowKey={(client) => client.id}
              columns={[
                {
                  header: t('clients.fields.name'),
                  cell: (client) => (
                    <AnchorLink to="/clients/$clientId" params={{ clientId: client.id }}>
                      {client.last_name}, {client.first_names}
                    </AnchorLink>
                  ),
                },
                { header: t('clients.fields.personal_identity_code'), cell: (client) => client.personal_identity_code ?? '–' },
                { header: t('clients.fields.birth_date'), cell: (client) => formatDate(client.birth_date) || '–' },
                { header: t('clients.fields.phone'), cell: (client) => client.phone ?? '–' },
                { header: t('clients.fields.status'), cell: (client) => <ClientStatusBadge status={client.status} /> },
              ]}
            />
            {query.hasNextPage && (
              <Group justify="center">
                <Button variant="default" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                  {t('clients.search.more')}
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
    </Container>
  );
}
