import { Alert, Button, Group, Modal, NativeSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DateField } from '@/components/date-field';
import { ErrorState } from '@/components/states';
import { codeListQueryOptions } from '@/lib/code-lists';
import { todayIso } from '@/lib/format';
import { isApiError } from '@/lib/problem';

import { useClosePeriod } from '../api/close-period';
import type { Period } from '../api/types';
import { checkClose, formErrors, MAX_NOTE, outcomes, type CloseValues } from './period-forms';
import { useLocalName } from './use-local-name';

const fields = ['ends_on', 'outcome', 'outcome_code', 'closing_note'] as const;

/**
 * Ends a period: its last day, where the client went (an outcome class and, optionally, one of
 * the organisation's sub-codes of it) and a closing note. The API cannot reopen an ended period.
 */
export function ClosePeriodDialog({ period, opened, onClose }: { period: Period; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const close = useClosePeriod(period.id);
  const subCodes = useQuery(codeListQueryOptions('outcome'));
  const [values, setValues] = useState<CloseValues>({ endsOn: todayIso(), outcome: '', outcomeCode: '', note: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = formErrors(t, local, close.error, fields);
  const set = (change: Partial<CloseValues>) => {
    setValues((current) => ({ ...current, ...change }));
  };
  const codes = (subCodes.data ?? []).filter((value) => value.active && value.parent_code === values.outcome);

  return (
    <Modal opened={opened} onClose={onClose} title={t('periodActions.close.title')} centered size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        aria-label={t('periodActions.close.title')}
        onSubmit={(event) => {
          event.preventDefault();
          const found = checkClose(values, period.starts_on, todayIso());
          setLocal(found);
          if (Object.keys(found).length > 0 || !values.outcome) return;
          close.mutate(
            {
              version: period.version,
              body: {
                ends_on: values.endsOn,
                outcome: values.outcome,
                outcome_code: values.outcomeCode || null,
                closing_note: values.note.trim() || null,
              },
            },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack gap="md">
          <Text>{t('periodActions.close.body')}</Text>
          {isApiError(close.error, 412) ? (
            <Alert color="warning" role="alert">
              {t('conflict.simple')}
            </Alert>
          ) : (
            close.isError && !isApiError(close.error, 422) && <ErrorState error={close.error} />
          )}
          {errors.other.length > 0 && (
            <Text c="var(--mantine-color-error)" role="alert">
              {errors.other.join(' ')}
            </Text>
          )}
          <DateField
            label={t('periodActions.close.endsOn')}
            required
            min={period.starts_on}
            max={todayIso()}
            value={values.endsOn}
            onChange={(endsOn) => {
              set({ endsOn });
            }}
            error={errors.byField.ends_on}
          />
          <Radio.Group
            label={t('periodActions.fields.outcome')}
            required
            value={values.outcome}
            onChange={(value) => {
              set({ outcome: value, outcomeCode: '' });
            }}
            error={errors.byField.outcome}
          >
            <Stack gap="xs" mt="xs">
              {outcomes.map((outcome) => (
                <Radio key={outcome} value={outcome} label={t(`periodActions.outcomes.${outcome}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <NativeSelect
            label={t('periodActions.fields.outcomeCode')}
            disabled={codes.length === 0}
            value={values.outcomeCode}
            onChange={(event) => {
              set({ outcomeCode: event.currentTarget.value });
            }}
            data={[{ value: '', label: t('periodActions.close.noCode') }, ...codes.map((value) => ({ value: value.code, label: name(value) }))]}
            error={errors.byField.outcome_code}
          />
          <Textarea
            label={t('periodActions.fields.closingNote')}
            autosize
            minRows={3}
            maxLength={MAX_NOTE}
            value={values.note}
            onChange={(event) => {
              set({ note: event.currentTarget.value });
            }}
            error={errors.byField.closing_note}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={close.isPending}>
              {t('periodActions.close.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
