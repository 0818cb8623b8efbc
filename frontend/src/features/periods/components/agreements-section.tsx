import { Badge, Button, Collapse, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { mapFieldErrors } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { openPrintView } from '@/lib/print';
import { isApiError } from '@/lib/problem';

import {
  fetchAgreementPrint,
  useAgreements,
  useCreateAgreement,
  useUpdateAgreement,
  type Agreement,
  type CreateAgreementRequest,
} from '../api/agreements';
import { EndAgreementDialog } from './end-agreement-dialog';

const textFields = ['workplace', 'place', 'tasks', 'schedule', 'workplace_contact', 'organisation_contact', 'insurance_note'] as const;
type TextField = (typeof textFields)[number];
const stateColor = { draft: 'highlight', signed: 'success', ended: 'depth' } as const;

function NewAgreementForm({ periodId, onDone }: { periodId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const create = useCreateAgreement(periodId);
  const [kind, setKind] = useState<CreateAgreementRequest['kind']>('activity');
  const [texts, setTexts] = useState<Record<TextField, string>>({
    workplace: '', place: '', tasks: '', schedule: '', workplace_contact: '', organisation_contact: '', insurance_note: '',
  });
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const errors = isApiError(create.error, 422)
    ? mapFieldErrors(t, create.error.fieldErrors, [...textFields, 'kind', 'starts_on', 'ends_on'])
    : { byField: {} as Record<string, string>, other: [] };
  const text = (field: TextField, long = false) => {
    const props = {
      label: t(`periods.agreements.fields.${field}`),
      value: texts[field],
      error: errors.byField[field],
      onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        const value = event.currentTarget.value;
        setTexts((current) => ({ ...current, [field]: value }));
      },
    };
    return long ? <Textarea key={field} autosize minRows={2} {...props} /> : <TextInput key={field} {...props} />;
  };

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('periods.agreements.new')}
        onSubmit={(event) => {
          event.preventDefault();
          const body: CreateAgreementRequest = { kind, starts_on: startsOn || null, ends_on: endsOn || null };
          for (const field of textFields) body[field] = texts[field].trim() || null;
          create.mutate(body, { onSuccess: onDone });
        }}
      >
        <Stack gap="sm">
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          {errors.other.length > 0 && (
            <Text c="var(--mantine-color-error)" role="alert">
              {errors.other.join(' ')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('periods.agreements.fields.kind')}
              value={kind}
              onChange={(event) => {
                setKind(event.currentTarget.value as CreateAgreementRequest['kind']);
              }}
              data={(['activity', 'work'] as const).map((value) => ({ value, label: t(`periods.agreements.kinds.${value}`) }))}
            />
            <DateField label={t('periods.agreements.fields.starts_on')} value={startsOn} onChange={setStartsOn} error={errors.byField.starts_on} />
            <DateField label={t('periods.agreements.fields.ends_on')} value={endsOn} onChange={setEndsOn} error={errors.byField.ends_on} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('workplace')}
            {text('place')}
            {text('schedule')}
            {text('workplace_contact')}
            {text('organisation_contact')}
            {text('insurance_note')}
          </SimpleGrid>
          {text('tasks', true)}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('periods.agreements.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function AgreementCard({ periodId, agreement, canWrite }: { periodId: string; agreement: Agreement; canWrite: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateAgreement(periodId);
  const [signing, signDialog] = useDisclosure(false);
  const [ending, endDialog] = useDisclosure(false);
  const [signedOn, setSignedOn] = useState(todayIso());
  const [printError, setPrintError] = useState<unknown>(null);
  const details: [string, string | null | undefined][] = [
    [t('periods.agreements.fields.workplace'), agreement.workplace],
    [t('periods.agreements.fields.place'), agreement.place],
    [t('periods.agreements.fields.schedule'), agreement.schedule],
    [t('periods.agreements.fields.tasks'), agreement.tasks],
    [t('periods.agreements.fields.workplace_contact'), agreement.workplace_contact],
    [t('periods.agreements.fields.organisation_contact'), agreement.organisation_contact],
    [t('periods.agreements.fields.insurance_note'), agreement.insurance_note],
    [t('clientActions.agreementEnd.endedOn'), agreement.ended_on ? formatDate(agreement.ended_on) : null],
    [t('clientActions.agreementEnd.reason'), agreement.end_reason],
  ];
  const title = t(`periods.agreements.kinds.${agreement.kind}`);
  return (
    <Paper component="li" withBorder p="sm" data-testid={`agreement-${agreement.state}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {title}
            {agreement.starts_on || agreement.ends_on ? ` ${formatDate(agreement.starts_on)}–${formatDate(agreement.ends_on)}` : ''}
          </Text>
          <Badge variant="light" color={stateColor[agreement.state]}>
            {t(`periods.agreements.states.${agreement.state}`)}
            {agreement.signed_on ? ` ${formatDate(agreement.signed_on)}` : ''}
          </Badge>
        </Group>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} m={0} spacing="xs">
          {details
            .filter(([, value]) => value)
            .map(([label, value]) => (
              <div key={label}>
                <Text component="dt" size="sm" c="dimmed">
                  {label}
                </Text>
                <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap' }}>
                  {value}
                </Text>
              </div>
            ))}
        </SimpleGrid>
        {(printError !== null || update.isError) && <ErrorState error={printError ?? update.error} />}
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              setPrintError(null);
              openPrintView(() => fetchAgreementPrint(periodId, agreement.id), t('consents.print.loading')).catch(setPrintError);
            }}
          >
            {t('periods.agreements.print')}
          </Button>
          {canWrite && agreement.state === 'draft' && (
            <Button size="xs" onClick={signDialog.open}>
              {t('periods.agreements.sign')}
            </Button>
          )}
          {canWrite && agreement.state === 'signed' && (
            <Button size="xs" variant="default" color="alert" onClick={endDialog.open}>
              {t('clientActions.agreementEnd.open')}
            </Button>
          )}
        </Group>
      </Stack>
      <Modal
        opened={signing}
        onClose={signDialog.close}
        title={t('periods.agreements.signTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="md">
          <Text>{t('periods.agreements.signBody')}</Text>
          <DateField label={t('periods.agreements.fields.signed_on')} value={signedOn} max={todayIso()} onChange={setSignedOn} required />
          <Group justify="flex-end">
            <Button variant="default" onClick={signDialog.close}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={update.isPending}
              disabled={!signedOn}
              onClick={() => {
                update.mutate(
                  { agreementId: agreement.id, version: agreement.version, body: { state: 'signed', signed_on: signedOn } },
                  { onSuccess: signDialog.close },
                );
              }}
            >
              {t('periods.agreements.signConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {ending && <EndAgreementDialog periodId={periodId} agreement={agreement} opened={ending} onClose={endDialog.close} />}
    </Paper>
  );
}

/** A period's work and activity agreements: drafts, signing after a confirmation, print views. */
export function AgreementsSection({ periodId }: { periodId: string }) {
  const { t } = useTranslation();
  const agreements = useAgreements(periodId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [creating, { open, close }] = useDisclosure(false);
  return (
    <QuerySection
      title={t('periods.agreements.title')}
      query={agreements}
      isEmpty={(items) => items.length === 0}
      empty={t('periods.agreements.empty')}
      testId="agreements"
      actions={
        canWrite && (
          <Stack gap="xs">
            {!creating && (
              <Group>
                <Button variant="default" onClick={open}>
                  {t('periods.agreements.new')}
                </Button>
              </Group>
            )}
            <Collapse expanded={creating}>{creating && <NewAgreementForm periodId={periodId} onDone={close} />}</Collapse>
          </Stack>
        )
      }
    >
      {(items) => (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((agreement) => (
            <AgreementCard key={agreement.id} periodId={periodId} agreement={agreement} canWrite={canWrite} />
          ))}
        </Stack>
      )}
    </QuerySection>
  );
}
