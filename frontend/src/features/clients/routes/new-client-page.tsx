import { Button, Container, Stack, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ButtonLink } from '@/components/button-link';
import { ErrorState, ForbiddenState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCan, useMe } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useCreateClient } from '../api/create-client';
import { applyServerErrors, ClientFormFields, FormActions, useClientForm } from '../components/client-form';
import { createRequest, emptyValues } from '../components/client-form-values';

export function NewClientPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('clients.newTitle'));
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  if (!canWrite) {
    return (
      <Container size="md">
        <Stack>
          <Title order={1}>{t('clients.newTitle')}</Title>
          <ForbiddenState permissions={['clients_write_own_units', 'clients_write_all']} />
        </Stack>
      </Container>
    );
  }
  return <NewClientForm />;
}

function NewClientForm() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const canSensitive = useCan('sensitive_history');
  const create = useCreateClient();
  const form = useClientForm(emptyValues(me?.unit_ids[0] ?? ''));
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);

  const submit = form.onSubmit(
    (values) => {
      setGeneralErrors([]);
      create.mutate(createRequest(values, canSensitive), {
        onSuccess: (client) => void navigate({ to: '/clients/$clientId', params: { clientId: client.id } }),
        onError: (error) => {
          setGeneralErrors(applyServerErrors(t, form, error));
        },
      });
    },
    (errors) => {
      const first = Object.keys(errors)[0];
      if (first) document.getElementById(`client-${first}`)?.focus();
    },
  );

  return (
    <Container size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Title order={1}>{t('clients.newTitle')}</Title>
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          <ClientFormFields form={form} mode="create" generalErrors={generalErrors} />
          <FormActions>
            <ButtonLink to="/clients" variant="default">
              {t('common.cancel')}
            </ButtonLink>
            <Button type="submit" loading={create.isPending}>
              {t('clients.create')}
            </Button>
          </FormActions>
        </Stack>
      </form>
    </Container>
  );
}
