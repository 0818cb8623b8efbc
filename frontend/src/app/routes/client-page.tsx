import { Container, Divider, Stack } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { AccessReasonDialog, isReasonRequired } from '@/components/access-reason-dialog';
import { AnchorLink } from '@/components/anchor-link';
import { ErrorState, LoadingState } from '@/components/states';
import { useClient } from '@/features/clients/api/get-client';
import { ClientAttendance } from '@/features/attendance/components/attendance-month';
import { ClientChanges } from '@/features/clients/components/client-changes';
import { ClientDetails } from '@/features/clients/components/client-details';
import { ClientHistory } from '@/features/clients/components/client-history';
import { ConsentsSection, MissingConsentBanner } from '@/features/consents/components/consents-section';
import { DisclosuresSection } from '@/features/consents/components/disclosures-section';
import { ClientPeriods } from '@/features/periods/components/client-periods';
import { useDocumentTitle } from '@/hooks/use-document-title';

/** A client's page: details, consents, periods, background history and the rectification timeline. */
export function ClientPage() {
  const { t } = useTranslation();
  const { clientId } = useParams({ strict: false });
  const id = clientId ?? '';
  const client = useClient(id);
  const navigate = useNavigate();
  useDocumentTitle(client.data ? `${client.data.first_names} ${client.data.last_name}` : t('clients.title'));

  return (
    <Container size="xl">
      <Stack gap="xl">
        <AnchorLink to="/clients" size="sm">
          ← {t('clients.backToList')}
        </AnchorLink>
        {client.isPending ? (
          <LoadingState />
        ) : client.isError && isReasonRequired(client.error) ? (
          <AccessReasonDialog subjectId={id} onCancel={() => void navigate({ to: '/clients' })} />
        ) : client.isError ? (
          <ErrorState
            error={client.error}
            onRetry={() => void client.refetch()}
            permissions={['clients_read_own_units', 'clients_read_all']}
          />
        ) : (
          <>
            <MissingConsentBanner clientId={id} />
            <ClientDetails client={client.data} />
            <Divider />
            <ConsentsSection clientId={id} />
            <DisclosuresSection clientId={id} />
            <Divider />
            <ClientPeriods clientId={id} unitId={client.data.unit_id} />
            <Divider />
            <ClientAttendance clientId={id} />
            <Divider />
            <ClientHistory clientId={id} />
            <ClientChanges clientId={id} />
          </>
        )}
      </Stack>
    </Container>
  );
}

