import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { checkAccessReason, MAX_REASON, MIN_REASON, setAccessReason } from '@/lib/access-reason';
import { isApiError } from '@/lib/problem';

/** Whether a failed read asks for a stated reason (another unit's client). */
export function isReasonRequired(error: unknown): boolean {
  return isApiError(error, 403) && error.slug === 'access-reason-required';
}

/**
 * Another unit's client: asks why the user needs to open the record. The reason goes with
 * every read of it from then on (the server logs it with each); cancelling leaves the
 * record closed.
 */
export function AccessReasonDialog({ subjectId, onCancel }: { subjectId: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(true);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const code = checkAccessReason(reason);
    if (code) {
      setProblem(code === 'required' ? t('errors.codes.required') : t('accessReason.length', { min: MIN_REASON, max: MAX_REASON }));
      return;
    }
    setAccessReason(subjectId, reason);
    setOpened(false);
    void queryClient.invalidateQueries();
  };
  return (
    <>
      <Alert color="warning" title={t('accessReason.title')} data-testid="access-reason-required">
        <Stack gap="xs" align="flex-start">
          <Text>{t('accessReason.body')}</Text>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              setOpened(true);
            }}
          >
            {t('accessReason.open')}
          </Button>
        </Stack>
      </Alert>
      <Modal
        opened={opened}
        onClose={() => {
          setOpened(false);
          onCancel();
        }}
        title={t('accessReason.title')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form
          noValidate
          aria-label={t('accessReason.title')}
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Stack gap="md">
            <Text>{t('accessReason.body')}</Text>
            <Textarea
              label={t('accessReason.reason')}
              description={t('accessReason.logged')}
              required
              data-autofocus
              autosize
              minRows={2}
              maxLength={MAX_REASON}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
                setProblem(null);
              }}
              error={problem}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => {
                  setOpened(false);
                  onCancel();
                }}
              >
                {t('common.cancel')}
              </Button>
              <Button type="submit">{t('accessReason.submit')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
