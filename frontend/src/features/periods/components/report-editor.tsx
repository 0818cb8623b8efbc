import { Alert, Badge, Button, Group, Modal, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { formatDateTime } from '@/lib/format';
import { useCan } from '@/lib/me';
import { openPrintView } from '@/lib/print';
import { isApiError } from '@/lib/problem';

import { useReports } from '../api/list-reports';
import {
  fetchReportPrint,
  useCreateReport,
  useFinaliseReport,
  useNewReportVersion,
  useUpdateReport,
} from '../api/report-mutations';
import type { Report, ReportSections } from '../api/types';

const sectionNames = [
  'situation_at_start',
  'goals_summary',
  'attendance_summary',
  'assessment_summary',
  'outcome_summary',
  'recommendation',
] as const;

function ReportCard({ periodId, report }: { periodId: string; report: Report }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const update = useUpdateReport(periodId);
  const finalise = useFinaliseReport(periodId);
  const newVersion = useNewReportVersion(periodId);
  const [sections, setSections] = useState<ReportSections>(report.sections);
  const [confirming, setConfirming] = useState(false);
  const [printError, setPrintError] = useState<unknown>(null);
  const draft = report.state === 'draft';
  const editable = draft && canWrite;
  const title = `${t(`periods.reports.kinds.${report.kind}`)}, ${t('periods.reports.version', { number: report.version_no })}`;

  return (
    <Paper withBorder p="md" data-testid={`report-${report.kind}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>{title}</Title>
          <Badge variant="light" color={draft ? 'highlight' : 'success'}>
            {t(`periods.reports.states.${report.state}`)}
          </Badge>
        </Group>
        {report.finalised_at && <Text size="sm">{t('periods.reports.finalisedAt', { date: formatDateTime(report.finalised_at) })}</Text>}
        {sectionNames.map((name) =>
          editable ? (
            <Textarea
              key={name}
              label={t(`periods.reports.sections.${name}`)}
              autosize
              minRows={2}
              value={sections[name] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setSections((current) => ({ ...current, [name]: value }));
              }}
            />
          ) : (
            <div key={name}>
              <Text fw={600} size="sm">
                {t(`periods.reports.sections.${name}`)}
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{report.sections[name] ?? '–'}</Text>
            </div>
          ),
        )}
        {isApiError(update.error, 412) || isApiError(finalise.error, 412) ? (
          <Alert color="warning" role="alert">
            {t('conflict.simple')}
          </Alert>
        ) : (
          (update.error ?? finalise.error ?? newVersion.error) && <ErrorState error={update.error ?? finalise.error ?? newVersion.error} />
        )}
        {printError !== null && <ErrorState error={printError} />}
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            onClick={() => {
              setPrintError(null);
              openPrintView(() => fetchReportPrint(periodId, report.id), t('consents.print.loading')).catch(setPrintError);
            }}
          >
            {t('periods.reports.print')}
          </Button>
          {editable && (
            <>
              <Button
                variant="default"
                loading={update.isPending}
                onClick={() => {
                  update.mutate({ reportId: report.id, version: report.version, sections });
                }}
              >
                {t('periods.reports.saveDraft')}
              </Button>
              <Button
                onClick={() => {
                  setConfirming(true);
                }}
              >
                {t('periods.reports.finalise')}
              </Button>
            </>
          )}
          {!draft && canWrite && (
            <Button variant="default" loading={newVersion.isPending} onClick={() => { newVersion.mutate(report.id); }}>
              {t('periods.reports.newVersion')}
            </Button>
          )}
        </Group>
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => {
          setConfirming(false);
        }}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('periods.reports.confirmTitle')}
      >
        <Stack>
          <Text>{t('periods.reports.confirmBody')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => { setConfirming(false); }}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={update.isPending || finalise.isPending}
              onClick={() => {
                // What was typed is saved first, then the saved version is finalised.
                update.mutate(
                  { reportId: report.id, version: report.version, sections },
                  {
                    onSuccess: (saved) => {
                      finalise.mutate({ reportId: saved.id, version: saved.version }, { onSettled: () => { setConfirming(false); } });
                    },
                    onError: () => {
                      setConfirming(false);
                    },
                  },
                );
              }}
            >
              {t('periods.reports.finaliseConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/** Interim reports and the final statement of a period: drafts, finalising, versions, print views. */
export function PeriodReports({ periodId }: { periodId: string }) {
  const { t } = useTranslation();
  const reports = useReports(periodId);
  const create = useCreateReport(periodId);
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [kind, setKind] = useState<'interim' | 'final'>('final');
  // Only the newest version of each series is worked on; older ones stay as history.
  const latest = (reports.data ?? []).filter(
    (report, _, all) => !all.some((other) => other.series_id === report.series_id && other.version_no > report.version_no),
  );

  return (
    <QuerySection
      title={t('periods.reports.title')}
      query={reports}
      isEmpty={(items) => items.length === 0}
      empty={t('periods.reports.empty')}
      testId="reports"
      actions={
        canWrite && (
          <Group align="flex-end">
            <NativeSelect
              label={t('periods.reports.kind')}
              value={kind}
              onChange={(event) => {
                setKind(event.currentTarget.value as 'interim' | 'final');
              }}
              data={[
                { value: 'final', label: t('periods.reports.kinds.final') },
                { value: 'interim', label: t('periods.reports.kinds.interim') },
              ]}
            />
            <Button
              variant="default"
              loading={create.isPending}
              onClick={() => {
                create.mutate({ kind });
              }}
            >
              {t('periods.reports.create')}
            </Button>
            {create.isError && <ErrorState error={create.error} />}
          </Group>
        )
      }
    >
      {() => (
        <Stack gap="md">
          {latest.map((report) => (
            <ReportCard key={`${report.id}-${report.version}`} periodId={periodId} report={report} />
          ))}
          {reports.data && reports.data.length > latest.length && (
            <Text size="sm" c="dimmed">
              {t('periods.reports.olderVersions', { count: reports.data.length - latest.length })}
            </Text>
          )}
        </Stack>
      )}
    </QuerySection>
  );
}
