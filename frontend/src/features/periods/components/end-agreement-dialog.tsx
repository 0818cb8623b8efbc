import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { fieldErrorMessage, mapFieldErrors, translateIfExists } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { isApiError } from '@/lib/problem';

import { useUpdateAgreement, type Agreement } from '../api/agreements';
import { endAgreementFields, toEndAgreement, validateEndAgreement, type EndAgreementField, type EndAgreementValues } from './end-agreement-values';

/** Ends a signed agreement on a date, for a reason, after a confirmation. */
export function EndAgreementDialog({
  periodId,
  agreement,
  opened,
  onClose,
}: {
  periodId: string;
  agreement: Agreement;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateAgreement(periodId);
  const [values, setValues] = useState<EndAgreementValues>({ endedOn: todayIso(), reason: '' });
  const [local, setLocal] = useState<Partial<Record<EndAgreementField, string>>>({});
  const server = isApiError(update.error, 422)
    ? mapFieldErrors(t, update.error.fieldErrors, endAgreementFields)
    : { byField: {} as Record<string, string>, other: [] };
  const serverCodes = isApiError(update.error, 422) ? update.error.fieldErrors : [];
  const error = (field: EndAgreementField) => {
    const code = local[field] ?? serverCodes.find((e) => e.field === field)?.code;
    if (!code) return undefined;
    return translateIfExists(`clientActions.agreementEnd.errors.${code}`) ?? fieldErrorMessage(t, field, code);
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('clientActions.agreementEnd.title')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        aria-label={t('clientActions.agreementEnd.title')}
        onSubmit={(event) => {
          event.preventDefault();
          const found = validateEndAgreement(values, agreement.signed_on);
          setLocal(found);
          if (Object.keys(found).length > 0) return;
          update.mutate({ agreementId: agreement.id, version: agreement.version, body: toEndAgreement(values) }, { onSuccess: onClose });
        }}
      >
        <Stack gap="md">
          <Text>{t('clientActions.agreementEnd.body', { signed: formatDate(agreement.signed_on) })}</Text>
          {server.other.length > 0 && (
            <Alert color="alert" role="alert">
              {server.other.join(' ')}
            </Alert>
          )}
          {update.isError && !isApiError(update.error, 422) && <ErrorState error={update.error} />}
          <DateField
            label={t('clientActions.agreementEnd.endedOn')}
            required
            value={values.endedOn}
            onChange={(value) => {
              setValues((current) => ({ ...current, endedOn: value }));
            }}
            error={error('ended_on')}
          />
          <Textarea
            label={t('clientActions.agreementEnd.reason')}
            required
            autosize
            minRows={2}
            maxLength={500}
            value={values.reason}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setValues((current) => ({ ...current, reason: value }));
            }}
            error={error('end_reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="alert" loading={update.isPending}>
              {t('clientActions.agreementEnd.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
