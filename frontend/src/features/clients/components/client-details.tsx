import { Alert, Button, Group, Modal, Paper, SimpleGrid, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ButtonLink } from '@/components/button-link';
import { ErrorState } from '@/components/states';
import { formatDate } from '@/lib/format';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';
import { todayIso } from '@/lib/format';
import { useUnits } from '@/lib/units';

import { useCloseClient, useReopenClient } from '../api/close-client';
import { useRevealClientField, type RevealField } from '../api/reveal-client';
import type { Client } from '../api/types';
import { ClientStatusBadge } from './client-status-badge';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

/** A masked value (identity code, IBAN) with an explicit, logged reveal. */
function MaskedValue({ client, field }: { client: Client; field: RevealField }) {
  const { t } = useTranslation();
  const canReveal = useCan('clients_reveal');
  const reveal = useRevealClientField(client.id);
  const masked = client[field];
  if (!masked) return <>–</>;
  const revealed = reveal.data;
  const fieldName = t(`clients.fields.${field}`);
  return (
    <Group gap="sm" wrap="wrap">
      <Text span ff="monospace" data-testid={`${field}-value`}>
        {revealed ?? masked}
      </Text>
      {revealed == null &&
        (canReveal ? (
          <Button
            size="compact-sm"
            variant="default"
            loading={reveal.isPending}
            onClick={() => {
              reveal.mutate(field);
            }}
            aria-label={t('clients.reveal.buttonFor', { field: fieldName })}
          >
            {t('clients.reveal.button')}
          </Button>
        ) : (
          <Text span size="sm" c="dimmed">
            {t('clients.reveal.notAllowed')}
          </Text>
        ))}
      {revealed == null && canReveal && (
        <Text span size="sm" c="dimmed">
          {t('clients.reveal.logged')}
        </Text>
      )}
      {reveal.isError && <ErrorState error={reveal.error} permissions={['clients_reveal']} />}
    </Group>
  );
}

function CloseClientModal({ client, opened, onClose }: { client: Client; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const close = useCloseClient();
  const [closedOn, setClosedOn] = useState(todayIso());
  const [reason, setReason] = useState('');
  const error = close.error;
  const fieldError = (field: string) =>
    isApiError(error, 422) && error.fieldErrors.some((e) => e.field === field)
      ? t(`errors.codes.${error.fieldErrors.find((e) => e.field === field)?.code === 'in_future' ? 'in_future' : 'invalid'}`)
      : undefined;

  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('clients.close.title')}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          close.mutate({ id: client.id, version: client.version, closedOn, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Text>{t('clients.close.body')}</Text>
          {isApiError(error, 412) && (
            <Alert color="warning" role="alert">
              {t('conflict.simple')}
            </Alert>
          )}
          {error && !isApiError(error, 422) && !isApiError(error, 412) && <ErrorState error={error} />}
          <DateField
            label={t('clients.close.closedOn')}
            required
            max={todayIso()}
            value={closedOn}
            onChange={(value) => {
              setClosedOn(value);
            }}
            error={fieldError('closed_on')}
          />
          <Textarea
            label={t('clients.close.reason')}
            required
            maxLength={500}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
            error={fieldError('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="alert" loading={close.isPending} disabled={!reason.trim() || !closedOn}>
              {t('clients.close.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ReopenClientModal({ client, opened, onClose }: { client: Client; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const reopen = useReopenClient();
  const [reason, setReason] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('clients.reopen.title')}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          reopen.mutate({ id: client.id, version: client.version, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        <Stack>
          {isApiError(reopen.error, 412) && (
            <Alert color="warning" role="alert">
              {t('conflict.simple')}
            </Alert>
          )}
          {reopen.error && !isApiError(reopen.error, 412) && <ErrorState error={reopen.error} />}
          <Textarea
            label={t('clients.reopen.reason')}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={reopen.isPending}>
              {t('clients.reopen.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The client's heading, actions and details. */
export function ClientDetails({ client }: { client: Client }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const units = useUnits();
  const [closeOpened, closeModal] = useDisclosure(false);
  const [reopenOpened, reopenModal] = useDisclosure(false);
  const unitName = units.data?.items.find((unit) => unit.id === client.unit_id)?.name ?? '';
  const noPermission = t('permissionsMissing.clientsWrite');
  const option = (kind: 'gender' | 'language' | 'referrer' | 'education_level', value: string) =>
    t(`clients.options.${kind}.${value}` as 'clients.options.gender.male');

  const orUnknown = (code: string) => (code === 'unknown' ? t('common.unknown') : code);

  const action = (button: ReactNode) =>
    canWrite ? (
      button
    ) : (
      <Tooltip label={noPermission}>
        <span>{button}</span>
      </Tooltip>
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>
            {client.first_names} {client.last_name}
          </Title>
          <Group gap="sm">
            <ClientStatusBadge status={client.status} />
            {client.status === 'closed' && client.closed_on && (
              <Text size="sm">
                {t('clients.closedOn', { date: formatDate(client.closed_on), reason: client.close_reason ?? '' })}
              </Text>
            )}
          </Group>
        </Stack>
        <Group gap="sm">
          {canWrite ? (
            <ButtonLink to="/clients/$clientId/edit" params={{ clientId: client.id }} variant="default">
              {t('common.edit')}
            </ButtonLink>
          ) : (
            action(
              <Button variant="default" disabled>
                {t('common.edit')}
              </Button>,
            )
          )}
          {client.status === 'active'
            ? action(
                <Button variant="default" color="alert" onClick={closeModal.open} disabled={!canWrite}>
                  {t('clients.close.open')}
                </Button>,
              )
            : action(
                <Button variant="default" onClick={reopenModal.open} disabled={!canWrite}>
                  {t('clients.reopen.open')}
                </Button>,
              )}
        </Group>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 3 }} m={0}>
          <Field label={t('clients.fields.personal_identity_code')}>
            <MaskedValue client={client} field="personal_identity_code" />
            {client.personal_identity_code_temporary && (
              <Text span size="sm" c="dimmed">
                {' '}
                ({t('clients.temporaryCode')})
              </Text>
            )}
          </Field>
          <Field label={t('clients.fields.birth_date')}>{formatDate(client.birth_date) || '–'}</Field>
          <Field label={t('clients.fields.gender')}>{option('gender', client.gender)}</Field>
          <Field label={t('clients.fields.phone')}>{client.phone ?? '–'}</Field>
          <Field label={t('clients.fields.email')}>{client.email ?? '–'}</Field>
          <Field label={t('clients.fields.address')}>
            {[client.street_address, [client.postal_code, client.post_office].filter(Boolean).join(' ')]
              .filter(Boolean)
              .join(', ') || '–'}
          </Field>
          <Field label={t('clients.fields.home_municipality')}>{client.home_municipality ?? '–'}</Field>
          <Field label={t('clients.fields.unit_id')}>{unitName || '–'}</Field>
          <Field label={t('clients.fields.language')}>{option('language', client.language)}</Field>
          <Field label={t('clients.fields.referrer')}>{option('referrer', client.referrer)}</Field>
          <Field label={t('clients.fields.education_level')}>{option('education_level', client.education_level)}</Field>
          <Field label={t('clients.fields.mother_tongue')}>{orUnknown(client.mother_tongue)}</Field>
          <Field label={t('clients.fields.nationality')}>{orUnknown(client.nationality)}</Field>
          <Field label={t('clients.fields.profession')}>{client.profession ?? '–'}</Field>
          <Field label={t('clients.fields.iban')}>
            <MaskedValue client={client} field="iban" />
          </Field>
          {client.trade_union !== undefined && (
            <Field label={t('clients.fields.trade_union')}>{client.trade_union ?? '–'}</Field>
          )}
        </SimpleGrid>
      </Paper>
      <CloseClientModal client={client} opened={closeOpened} onClose={closeModal.close} />
      <ReopenClientModal client={client} opened={reopenOpened} onClose={reopenModal.close} />
    </Stack>
  );
}
