import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Collapse,
  Group,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DataTable } from '@/components/data-table';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { fieldErrorMessage, mapFieldErrors, translateIfExists } from '@/lib/field-errors';
import { formatDateTime, formatInstantDate } from '@/lib/format';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useConsents } from '../api/list-consents';
import { useDisclosures } from '../api/list-disclosures';
import { useRecordDisclosure } from '../api/record-disclosure';
import type { DataCategory } from '../api/types';
import {
  disclosureConsents,
  disclosureFormFields,
  emptyDisclosure,
  refusalCode,
  toDisclosureRequest,
  validateDisclosure,
  type DisclosureField,
  type DisclosureFormValues,
} from './disclosure-form-values';

const categories: DataCategory[] = [
  'contact_details',
  'identity',
  'background',
  'health',
  'substance_use',
  'periods',
  'attendance',
  'statements',
  'documents',
];
const sensitiveCategories: DataCategory[] = ['health', 'substance_use'];

function DisclosureForm({ clientId, onDone }: { clientId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const canSensitive = useCan('sensitive_history');
  const canStatutory = useCan('disclosures_statutory');
  const consents = useConsents(clientId);
  const record = useRecordDisclosure(clientId);
  const [values, setValues] = useState<DisclosureFormValues>(emptyDisclosure);
  const [local, setLocal] = useState<Partial<Record<DisclosureField, string>>>({});
  const set = <K extends keyof DisclosureFormValues>(key: K, value: DisclosureFormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
  };
  const server = isApiError(record.error, 422)
    ? mapFieldErrors(t, record.error.fieldErrors, disclosureFormFields)
    : { byField: {} as Record<string, string>, other: [] };
  const error = (field: DisclosureField) => {
    const code = local[field];
    return code ? fieldErrorMessage(t, field, code) : server.byField[field];
  };
  const refusal = refusalCode(record.error);
  const usable = disclosureConsents(consents.data ?? []);
  const offered = categories.filter((category) => canSensitive || !sensitiveCategories.includes(category));

  const submit = () => {
    const found = validateDisclosure(values);
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    record.mutate(toDisclosureRequest(values), { onSuccess: onDone });
  };

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('disclosures.form.title')}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Title order={3}>{t('disclosures.form.title')}</Title>
          <Text size="sm">{t('disclosures.form.intro')}</Text>
          {refusal && (
            <Alert color="alert" role="alert" title={t('disclosures.refused.title')} data-testid="disclosure-refused">
              {translateIfExists(`disclosures.refused.${refusal}`) ?? t('disclosures.refused.no_consent')}
            </Alert>
          )}
          {server.other.length > 0 && (
            <Alert color="alert" role="alert">
              {server.other.join(' ')}
            </Alert>
          )}
          {record.isError && !refusal && !isApiError(record.error, 422) && <ErrorState error={record.error} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('disclosures.fields.recipient')}
              required
              maxLength={300}
              value={values.recipient}
              onChange={(event) => {
                set('recipient', event.currentTarget.value);
              }}
              error={error('recipient')}
            />
            <TextInput
              label={t('disclosures.fields.recipientCategory')}
              description={t('disclosures.form.recipientCategoryHelp')}
              maxLength={300}
              value={values.recipientCategory}
              onChange={(event) => {
                set('recipientCategory', event.currentTarget.value);
              }}
              error={error('recipient_category')}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('disclosures.fields.data')}
            required
            value={values.categories}
            onChange={(value) => {
              set('categories', value);
            }}
            error={error('data_categories')}
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
              {offered.map((category) => (
                <Checkbox key={category} value={category} label={t(`consents.categories.${category}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Radio.Group
            label={t('disclosures.fields.basis')}
            value={values.basis}
            onChange={(value) => {
              set('basis', value);
            }}
          >
            <Group mt="xs">
              <Radio value="consent" label={t('disclosures.basis.consent')} />
              {canStatutory && <Radio value="law" label={t('disclosures.basis.law')} />}
            </Group>
          </Radio.Group>
          {values.basis === 'consent' ? (
            <NativeSelect
              label={t('disclosures.fields.consent')}
              description={t('disclosures.form.consentHelp')}
              value={values.consentId}
              onChange={(event) => {
                set('consentId', event.currentTarget.value);
              }}
              error={error('consent_id')}
              data={[
                { value: '', label: t('disclosures.form.anyConsent') },
                ...usable.map((consent) => ({
                  value: consent.id,
                  label: `${consent.recipient ?? ''} · ${t(`consents.givenHow.${consent.given_how}`)} · ${formatInstantDate(consent.given_at)}`,
                })),
              ]}
            />
          ) : (
            <TextInput
              label={t('disclosures.fields.legalBasis')}
              description={t('disclosures.form.legalBasisHelp')}
              required
              maxLength={500}
              value={values.legalBasis}
              onChange={(event) => {
                set('legalBasis', event.currentTarget.value);
              }}
              error={error('legal_basis')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={record.isPending}>
              {t('disclosures.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The client's disclosure log and the form to record a disclosure (checked against consent on the server). */
export function DisclosuresSection({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const disclosures = useDisclosures(clientId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [recording, { open, close }] = useDisclosure(false);
  const headingId = useId();
  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm" data-testid="disclosures">
      <Title order={2} id={headingId}>
        {t('disclosures.title')}
      </Title>
      {canWrite && !recording && (
        <Group>
          <Button variant="default" onClick={open}>
            {t('disclosures.form.open')}
          </Button>
        </Group>
      )}
      <Collapse expanded={recording}>{recording && <DisclosureForm clientId={clientId} onDone={close} />}</Collapse>
      {disclosures.isPending ? (
        <LoadingState />
      ) : disclosures.isError ? (
        <ErrorState error={disclosures.error} onRetry={() => void disclosures.refetch()} />
      ) : disclosures.data.length === 0 ? (
        <EmptyState>{t('disclosures.empty')}</EmptyState>
      ) : (
        <DataTable
          minWidth={720}
          data-testid="disclosure-log"
          rows={disclosures.data}
          rowKey={(entry) => entry.id}
          columns={[
            { header: t('disclosures.fields.when'), cell: (entry) => <Text size="sm">{formatDateTime(entry.occurred_at)}</Text> },
            {
              header: t('disclosures.fields.recipient'),
              cell: (entry) => (
                <>
                  <Text size="sm" fw={600}>
                    {entry.recipient}
                  </Text>
                  {entry.recipient_category && (
                    <Text size="sm" c="dimmed">
                      {entry.recipient_category}
                    </Text>
                  )}
                </>
              ),
            },
            {
              header: t('disclosures.fields.data'),
              cell: (entry) => (
                <Text size="sm">{entry.data_categories.map((category) => t(`consents.categories.${category}`)).join(', ')}</Text>
              ),
            },
            {
              header: t('disclosures.fields.basis'),
              cell: (entry) =>
                entry.legal_basis ? (
                  <Text size="sm">{entry.legal_basis}</Text>
                ) : (
                  <Badge variant="light" color="success">
                    {t('disclosures.basis.consent')}
                  </Badge>
                ),
            },
            { header: t('disclosures.fields.by'), cell: (entry) => <Text size="sm">{entry.disclosed_by ?? '–'}</Text> },
          ]}
        />
      )}
    </Stack>
  );
}
