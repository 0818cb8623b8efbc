import { Alert, Button, Container, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ButtonLink } from '@/components/button-link';
import { ErrorState, ForbiddenState, LoadingState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { clientQueryOptions, useClient } from '../api/get-client';
import type { Client } from '../api/types';
import { useUpdateClient } from '../api/update-client';
import { applyServerErrors, ClientFormFields, FormActions, useClientForm } from '../components/client-form';
import { formFields, updateRequest, valuesFromClient, type ClientFormValues } from '../components/client-form-values';

export function EditClientPage() {
  const { t } = useTranslation();
  const { clientId } = useParams({ strict: false });
  const id = clientId ?? '';
  const client = useClient(id);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  useDocumentTitle(t('clients.editTitle'));

  if (!canWrite) {
    return (
      <Container size="md">
        <Stack>
          <Title order={1}>{t('clients.editTitle')}</Title>
          <ForbiddenState permissions={['clients_write_own_units', 'clients_write_all']} />
        </Stack>
      </Container>
    );
  }
  if (client.isPending) return <LoadingState />;
  if (client.isError) return <ErrorState error={client.error} onRetry={() => void client.refetch()} />;
  return <EditClientForm client={client.data} />;
}

interface Conflict {
  latest: Client;
  changed: { field: keyof ClientFormValues; before: string; after: string }[];
}

function EditClientForm({ client }: { client: Client }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canSensitive = useCan('sensitive_history');
  const update = useUpdateClient();
  // The version the user started from; a save against an older one than the server's is a 412.
  const [base, setBase] = useState(client);
  const baseValues = valuesFromClient(base);
  const form = useClientForm(baseValues);
  const [reason, setReason] = useState('');
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const name = `${client.first_names} ${client.last_name}`;

  const showConflict = async () => {
    const latest = await queryClient.query({ ...clientQueryOptions(client.id), staleTime: 0 });
    const latestValues = valuesFromClient(latest);
    const changed = formFields
      .filter((field) => latestValues[field] !== baseValues[field])
      .map((field) => ({ field, before: baseValues[field], after: latestValues[field] }));
    setConflict({ latest, changed });
  };

  /** Takes the latest version as the new base, keeping every field the user changed. */
  const reloadKeepingMine = () => {
    if (!conflict) return;
    const latestValues = valuesFromClient(conflict.latest);
    const merged = { ...latestValues };
    for (const field of formFields) {
      if (form.values[field] !== baseValues[field]) (merged as Record<string, string>)[field] = form.values[field];
    }
    setBase(conflict.latest);
    form.setValues(merged);
    form.resetDirty(latestValues);
    setConflict(null);
  };

  const submit = form.onSubmit((values) => {
    setGeneralErrors([]);
    const body = updateRequest(baseValues, values, reason, canSensitive);
    if (Object.keys(body).length === 0) {
      void navigate({ to: '/clients/$clientId', params: { clientId: client.id } });
      return;
    }
    update.mutate(
      { id: client.id, version: base.version, body },
      {
        onSuccess: () => void navigate({ to: '/clients/$clientId', params: { clientId: client.id } }),
        onError: (error) => {
          if (isApiError(error, 412)) void showConflict();
          else setGeneralErrors(applyServerErrors(t, form, error));
        },
      },
    );
  });

  const display = (value: string) => value || t('common.empty');

  return (
    <Container size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Title order={1}>{t('clients.editTitleFor', { name })}</Title>
          {conflict && (
            <Alert color="warning" role="alert" title={t('conflict.title')} data-testid="conflict">
              <Stack gap="xs" align="flex-start">
                <Text>{t('conflict.body')}</Text>
                {conflict.changed.length > 0 && (
                  <List>
                    {conflict.changed.map(({ field, before, after }) => (
                      <List.Item key={field}>
                        {t('conflict.change', {
                          field: t(`clients.fields.${field}`),
                          before: display(before),
                          after: display(after),
                        })}
                      </List.Item>
                    ))}
                  </List>
                )}
                <Button onClick={reloadKeepingMine}>{t('conflict.reload')}</Button>
              </Stack>
            </Alert>
          )}
          {update.isError && !isApiError(update.error, 422) && !isApiError(update.error, 412) && (
            <ErrorState error={update.error} />
          )}
          <ClientFormFields
            form={form}
            mode="edit"
            maskedIdentityCode={base.personal_identity_code ?? null}
            maskedIban={base.iban ?? null}
            generalErrors={generalErrors}
          />
          <Textarea
            label={t('clients.form.reason')}
            description={t('clients.form.reasonHelp')}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
            autosize
            minRows={2}
          />
          <FormActions>
            <ButtonLink to="/clients/$clientId" params={{ clientId: client.id }} variant="default">
              {t('common.cancel')}
            </ButtonLink>
            <Button type="submit" loading={update.isPending} disabled={conflict !== null}>
              {t('common.save')}
            </Button>
          </FormActions>
        </Stack>
      </form>
    </Container>
  );
}
