import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Collapse,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DataTable } from '@/components/data-table';
import { DateField } from '@/components/date-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { mapFieldErrors } from '@/lib/field-errors';
import { formatDateTime, formatInstantDate, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { openPrintView } from '@/lib/print';
import { isApiError } from '@/lib/problem';

import { useConsentTimeline } from '../api/consent-timeline';
import { useGiveConsent } from '../api/give-consent';
import { useConsents } from '../api/list-consents';
import { fetchConsentForm } from '../api/print-consent-form';
import type { Consent, ConsentKind, DataCategory, GiveConsentRequest, GivenHow } from '../api/types';
import { useWithdrawConsent } from '../api/withdraw-consent';

const kinds: ConsentKind[] = ['processing', 'disclosure', 'data_request', 'other'];
const givenHows: GivenHow[] = ['written', 'electronic', 'verbal'];
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

const statusColor: Record<Consent['status'], string> = {
  active: 'success',
  pending: 'highlight',
  expired: 'depth',
  withdrawn: 'alert',
};

/** Midnight at the start of a Helsinki day, as the instant the API wants (end of day for "until"). */
function dayToInstant(day: string, endOfDay = false): string {
  return new Date(`${day}T${endOfDay ? '23:59:59' : '00:00:00'}`).toISOString();
}

/** Shown on a client without a processing consent in force. */
export function MissingConsentBanner({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const consents = useConsents(clientId);
  if (!consents.data) return null;
  const hasProcessing = consents.data.some((consent) => consent.kind === 'processing' && consent.status === 'active');
  if (hasProcessing) return null;
  return (
    <Alert color="warning" variant="light" title={t('consents.missing.title')} data-testid="missing-consent">
      {t('consents.missing.body')}
    </Alert>
  );
}

function GiveConsentForm({ clientId, onDone }: { clientId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const canSensitive = useCan('sensitive_history');
  const give = useGiveConsent(clientId);
  const [kind, setKind] = useState<ConsentKind>('processing');
  const [recipient, setRecipient] = useState('');
  const [recipientIsCategory, setRecipientIsCategory] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [data, setData] = useState<DataCategory[]>([]);
  const [givenHow, setGivenHow] = useState<GivenHow>('written');
  const [witness, setWitness] = useState('');
  const [givenOn, setGivenOn] = useState(todayIso());
  const [validUntil, setValidUntil] = useState('');
  const [note, setNote] = useState('');
  const needsRecipient = kind === 'disclosure' || kind === 'data_request';
  const formFields = ['kind', 'recipient', 'purpose', 'data_categories', 'given_how', 'witness', 'given_at', 'valid_until', 'note'];
  const { byField, other } = isApiError(give.error, 422)
    ? mapFieldErrors(t, give.error.fieldErrors, formFields)
    : { byField: {} as Record<string, string>, other: [] };
  const offered = categories.filter((category) => canSensitive || !sensitiveCategories.includes(category));

  const submit = () => {
    const body: GiveConsentRequest = {
      kind,
      given_how: givenHow,
      recipient_is_category: needsRecipient && recipientIsCategory,
      recipient: needsRecipient ? recipient.trim() || null : null,
      purpose: purpose.trim() || null,
      data_categories: data,
      witness: givenHow === 'verbal' ? witness.trim() || null : null,
      // Today means now; an earlier day is recorded as given on that day.
      given_at: givenOn && givenOn !== todayIso() ? dayToInstant(givenOn) : null,
      valid_until: validUntil ? dayToInstant(validUntil, true) : null,
      note: note.trim() || null,
    };
    give.mutate(body, { onSuccess: onDone });
  };

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('consents.give.title')}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Title order={3}>{t('consents.give.title')}</Title>
          {other.length > 0 && (
            <Alert color="alert" role="alert">
              {other.join(' ')}
            </Alert>
          )}
          {give.isError && !isApiError(give.error, 422) && <ErrorState error={give.error} />}
          <NativeSelect
            label={t('consents.fields.kind')}
            value={kind}
            onChange={(event) => {
              setKind(event.currentTarget.value as ConsentKind);
            }}
            data={kinds.map((value) => ({ value, label: t(`consents.kinds.${value}`) }))}
            error={byField.kind}
          />
          {needsRecipient && (
            <Group align="flex-end">
              <TextInput
                label={t('consents.fields.recipient')}
                required
                value={recipient}
                onChange={(event) => {
                  setRecipient(event.currentTarget.value);
                }}
                error={byField.recipient}
                style={{ flex: 1 }}
              />
              <Checkbox
                label={t('consents.fields.recipientIsCategory')}
                checked={recipientIsCategory}
                onChange={(event) => {
                  setRecipientIsCategory(event.currentTarget.checked);
                }}
                mb={8}
              />
            </Group>
          )}
          <TextInput
            label={t('consents.fields.purpose')}
            required={kind === 'other'}
            value={purpose}
            onChange={(event) => {
              setPurpose(event.currentTarget.value);
            }}
            error={byField.purpose}
            maxLength={300}
          />
          <Checkbox.Group
            label={t('consents.fields.data')}
            description={needsRecipient ? t('consents.give.dataRequired') : undefined}
            value={data}
            onChange={(value) => {
              setData(value);
            }}
            error={byField.data_categories}
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
              {offered.map((category) => (
                <Checkbox key={category} value={category} label={t(`consents.categories.${category}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Radio.Group
            label={t('consents.fields.givenHow')}
            value={givenHow}
            onChange={(value) => {
              setGivenHow(value);
            }}
            error={byField.given_how}
          >
            <Group mt="xs">
              {givenHows.map((value) => (
                <Radio key={value} value={value} label={t(`consents.givenHow.${value}`)} />
              ))}
            </Group>
          </Radio.Group>
          {kind === 'disclosure' && givenHow !== 'written' && (
            <Alert color="warning" variant="light" data-testid="not-written-warning">
              {t(`disclosures.notWritten.${givenHow}`)}
            </Alert>
          )}
          {givenHow === 'verbal' && (
            <TextInput
              label={t('consents.fields.witness')}
              required
              value={witness}
              onChange={(event) => {
                setWitness(event.currentTarget.value);
              }}
              error={byField.witness}
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateField
              label={t('consents.fields.givenOn')}
              max={todayIso()}
              value={givenOn}
              onChange={(value) => {
                setGivenOn(value);
              }}
              error={byField.given_at}
            />
            <DateField
              label={t('consents.fields.validUntil')}
              description={t('consents.give.validUntilHelp')}
              value={validUntil}
              onChange={(value) => {
                setValidUntil(value);
              }}
              error={byField.valid_until}
            />
          </SimpleGrid>
          <Textarea
            label={t('consents.fields.note')}
            value={note}
            onChange={(event) => {
              setNote(event.currentTarget.value);
            }}
            error={byField.note}
            autosize
            minRows={2}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={give.isPending}>
              {t('consents.give.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function WithdrawModal({ clientId, consent, onClose }: { clientId: string; consent: Consent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const withdraw = useWithdrawConsent(clientId);
  const [how, setHow] = useState<GivenHow>('verbal');
  const [note, setNote] = useState('');
  return (
    <Modal opened={consent !== null} onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('consents.withdraw.title')}>
      {consent && (
        <Stack>
          <Text>
            {t('consents.withdraw.body', {
              kind: t(`consents.kinds.${consent.kind}`),
              recipient: consent.recipient ?? consent.purpose ?? '',
            })}
          </Text>
          {withdraw.isError && <ErrorState error={withdraw.error} />}
          <NativeSelect
            label={t('consents.withdraw.how')}
            value={how}
            onChange={(event) => {
              setHow(event.currentTarget.value as GivenHow);
            }}
            data={givenHows.map((value) => ({ value, label: t(`consents.givenHow.${value}`) }))}
          />
          <Textarea
            label={t('consents.fields.note')}
            value={note}
            onChange={(event) => {
              setNote(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              color="alert"
              loading={withdraw.isPending}
              data-autofocus
              onClick={() => {
                withdraw.mutate(
                  { consentId: consent.id, body: { requested_how: how, note: note.trim() || null } },
                  { onSuccess: onClose },
                );
              }}
            >
              {t('consents.withdraw.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function ConsentTimeline({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const [shown, { toggle }] = useDisclosure(false);
  const timeline = useConsentTimeline(clientId, shown);
  const regionId = useId();
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="subtle" size="sm" onClick={toggle} aria-expanded={shown} aria-controls={regionId}>
          {shown ? t('consents.timeline.hide') : t('consents.timeline.show')}
        </Button>
      </Group>
      <Collapse expanded={shown}>
        <div id={regionId}>
          {shown &&
            (timeline.isPending ? (
              <LoadingState />
            ) : timeline.isError ? (
              <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
            ) : timeline.data.length === 0 ? (
              <EmptyState>{t('consents.timeline.empty')}</EmptyState>
            ) : (
              <Timeline bulletSize={14} lineWidth={2} data-testid="consent-timeline">
                {timeline.data.map((event) => (
                  <Timeline.Item
                    key={`${event.consent_id}-${event.event}-${event.at}`}
                    title={`${formatDateTime(event.at)} · ${t(`consents.events.${event.event}`)}`}
                  >
                    <Text size="sm">
                      {t(`consents.kinds.${event.kind}`)}
                      {event.recipient ? ` – ${event.recipient}` : ''}
                      {event.purpose ? ` (${event.purpose})` : ''}
                    </Text>
                    {event.requested_how && (
                      <Text size="sm" c="dimmed">
                        {t('consents.timeline.requestedHow', { how: t(`consents.givenHow.${event.requested_how}`) })}
                      </Text>
                    )}
                  </Timeline.Item>
                ))}
              </Timeline>
            ))}
        </div>
      </Collapse>
    </Stack>
  );
}

/** The client's consents: give, withdraw, history and the printable form. */
export function ConsentsSection({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const consents = useConsents(clientId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [giving, { open, close }] = useDisclosure(false);
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const [printError, setPrintError] = useState<unknown>(null);
  const headingId = useId();

  const print = () => {
    setPrintError(null);
    openPrintView(() => fetchConsentForm(clientId), t('consents.print.loading')).catch(setPrintError);
  };

  return (
    <Stack component="section" aria-labelledby={headingId} gap="sm" data-testid="consents">
      <Title order={2} id={headingId}>
        {t('consents.title')}
      </Title>
      <Group gap="sm">
        {canWrite && !giving && <Button onClick={open}>{t('consents.give.open')}</Button>}
        <Button variant="default" onClick={print}>
          {t('consents.print.button')}
        </Button>
      </Group>
      {printError !== null && <ErrorState error={printError} />}
      <Collapse expanded={giving}>{giving && <GiveConsentForm clientId={clientId} onDone={close} />}</Collapse>
      {consents.isPending ? (
        <LoadingState />
      ) : consents.isError ? (
        <ErrorState error={consents.error} onRetry={() => void consents.refetch()} />
      ) : consents.data.length === 0 ? (
        <EmptyState>{t('consents.empty')}</EmptyState>
      ) : (
        <DataTable
          minWidth={720}
          data-testid="consent-list"
          rows={[...consents.data].reverse()}
          rowKey={(consent) => consent.id}
          rowAttributes={(consent) => ({ 'data-status': consent.status })}
          columns={[
            {
              header: t('consents.fields.kind'),
              cell: (consent) => (
                <>
                  <Text fw={600}>{t(`consents.kinds.${consent.kind}`)}</Text>
                  {consent.recipient && <Text size="sm">{consent.recipient}</Text>}
                  {consent.purpose && <Text size="sm">{consent.purpose}</Text>}
                </>
              ),
            },
            {
              header: t('consents.fields.data'),
              cell: (consent) => (
                <Text size="sm">
                  {consent.data_categories.map((category) => t(`consents.categories.${category}`)).join(', ') || '–'}
                </Text>
              ),
            },
            {
              header: t('consents.fields.given'),
              cell: (consent) => (
                <>
                  <Text size="sm">{formatInstantDate(consent.given_at)}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`consents.givenHow.${consent.given_how}`)}
                    {consent.witness ? ` (${consent.witness})` : ''}
                  </Text>
                </>
              ),
            },
            {
              header: t('consents.fields.validity'),
              cell: (consent) => (
                <>
                  <Text size="sm">
                    {formatInstantDate(consent.valid_from)} –{' '}
                    {consent.valid_until ? formatInstantDate(consent.valid_until) : t('consents.untilWithdrawn')}
                  </Text>
                  {consent.withdrawal && (
                    <Text size="sm" c="dimmed">
                      {t('consents.withdrawnOn', { date: formatInstantDate(consent.withdrawal.withdrawn_at) })}
                    </Text>
                  )}
                </>
              ),
            },
            {
              header: t('consents.fields.status'),
              cell: (consent) => (
                <Badge variant="light" color={statusColor[consent.status]}>
                  {t(`consents.status.${consent.status}`)}
                </Badge>
              ),
            },
            {
              header: <VisuallyHidden>{t('common.actions')}</VisuallyHidden>,
              cell: (consent) =>
                canWrite &&
                (consent.status === 'active' || consent.status === 'pending') && (
                  <Button
                    size="compact-sm"
                    variant="default"
                    color="alert"
                    onClick={() => {
                      setWithdrawing(consent);
                    }}
                    aria-label={t('consents.withdraw.buttonFor', { kind: t(`consents.kinds.${consent.kind}`) })}
                  >
                    {t('consents.withdraw.button')}
                  </Button>
                ),
            },
          ]}
        />
      )}
      <ConsentTimeline clientId={clientId} />
      <WithdrawModal
        clientId={clientId}
        consent={withdrawing}
        onClose={() => {
          setWithdrawing(null);
        }}
      />
    </Stack>
  );
}
