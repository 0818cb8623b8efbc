import { Button, Collapse, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DataTable, type Column } from '@/components/data-table';
import { DateField } from '@/components/date-field';
import { QuerySection } from '@/components/query-section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { fieldErrorMessage } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { isApiError } from '@/lib/problem';

import { useAssessmentChart, useCreateAssessment, useInstruments, type AssessmentChart, type Instrument } from '../api/assessments';

const AssessmentLineChart = lazy(() => import('./assessment-chart'));

interface Named { name_fi: string; name_sv: string; name_en: string }

function useLocalName() {
  const { i18n } = useTranslation();
  return (value: Named) =>
    i18n.resolvedLanguage === 'sv' ? value.name_sv : i18n.resolvedLanguage === 'en' ? value.name_en : value.name_fi;
}

function NewAssessmentForm({ periodId, instrument, onDone }: { periodId: string; instrument: Instrument; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const name = useLocalName();
  const create = useCreateAssessment(periodId);
  const [assessedOn, setAssessedOn] = useState(todayIso());
  const [assessor, setAssessor] = useState<'coach' | 'client'>('coach');
  const [scores, setScores] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState('');
  const errors: Record<string, string> = {};
  if (isApiError(create.error, 422)) {
    for (const error of create.error.fieldErrors) {
      const match = /^scores\[(\d+)\]/.exec(error.field);
      const criterion = match ? instrument.criteria[Number(match[1])]?.id : undefined;
      errors[criterion ?? error.field] ??= fieldErrorMessage(t, error.field.replace(/^scores\[\d+\]\./, ''), error.code);
    }
  }
  const complete = instrument.criteria.every((criterion) => scores[criterion.id]);
  const stepLabel = (step: { fi: string; sv: string; en: string }) =>
    i18n.resolvedLanguage === 'sv' ? step.sv : i18n.resolvedLanguage === 'en' ? step.en : step.fi;

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        aria-label={t('periods.assessments.new')}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            {
              instrument_id: instrument.id,
              assessed_on: assessedOn || null,
              assessor,
              notes: notes.trim() || null,
              scores: instrument.criteria.map((criterion) => ({ criterion_id: criterion.id, score: Number(scores[criterion.id]) })),
            },
            { onSuccess: onDone },
          );
        }}
      >
        <Stack gap="sm">
          {create.isError && !isApiError(create.error, 422) && <ErrorState error={create.error} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateField label={t('periods.assessments.date')} value={assessedOn} max={todayIso()} onChange={setAssessedOn} error={errors.assessed_on} />
            <NativeSelect
              label={t('periods.assessments.assessor')}
              value={assessor}
              onChange={(event) => {
                setAssessor(event.currentTarget.value as 'coach' | 'client');
              }}
              data={(['coach', 'client'] as const).map((value) => ({ value, label: t(`periods.assessments.assessors.${value}`) }))}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {instrument.criteria.map((criterion) => (
              <NativeSelect
                key={criterion.id}
                label={name(criterion)}
                required
                value={scores[criterion.id] ?? ''}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setScores((current) => ({ ...current, [criterion.id]: value }));
                }}
                error={errors[criterion.id]}
                data={[
                  { value: '', label: t('periods.assessments.chooseScore') },
                  ...Array.from({ length: criterion.scale_max - criterion.scale_min + 1 }, (_, index) => {
                    const value = criterion.scale_min + index;
                    const step = criterion.steps.find((s) => s.value === value);
                    return { value: String(value), label: step ? `${value} – ${stepLabel(step)}` : String(value) };
                  }),
                ]}
              />
            ))}
          </SimpleGrid>
          <Textarea
            label={t('periods.assessments.notes')}
            autosize
            minRows={2}
            maxLength={4000}
            value={notes}
            onChange={(event) => {
              setNotes(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!complete}>
              {t('periods.assessments.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ScoresTable({ chart, caption }: { chart: AssessmentChart; caption: string }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const dates = [...new Set(chart.series.flatMap((series) => series.points.map((point) => point.date)))].sort();
  return (
    <DataTable
      minWidth={480}
      withTableBorder
      data-testid="assessment-scores"
      caption={caption}
      rows={chart.series}
      rowKey={(series) => series.criterion_id}
      columns={[
        {
          header: t('periods.assessments.criterion'),
          rowHeader: true,
          cell: (series) => (
            <>
              {name(series)} ({series.scale_min}–{series.scale_max})
            </>
          ),
        },
        ...dates.map(
          (date): Column<AssessmentChart['series'][number]> => ({
            header: formatDate(date),
            cell: (series) =>
              series.points
                .filter((point) => point.date === date)
                .map((point) => `${point.score}${point.assessor === 'client' ? ` (${t('periods.assessments.self')})` : ''}`)
                .join(', '),
          }),
        ),
      ]}
    />
  );
}

function InstrumentScores({ periodId, instrument }: { periodId: string; instrument: Instrument }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const chart = useAssessmentChart(periodId, instrument.id);
  if (chart.isPending) return <LoadingState />;
  if (chart.isError) return <ErrorState error={chart.error} onRetry={() => void chart.refetch()} />;
  if (chart.data.series.every((series) => series.points.length === 0)) return <EmptyState>{t('periods.assessments.noScores')}</EmptyState>;
  return (
    <Stack gap="sm" data-testid="assessment-chart">
      <Suspense fallback={<LoadingState />}>
        <AssessmentLineChart chart={chart.data} name={name} />
      </Suspense>
      <ScoresTable chart={chart.data} caption={t('periods.assessments.tableCaption', { instrument: name(instrument) })} />
    </Stack>
  );
}

/** A period's assessments on an instrument: entering one (a score per criterion) and the scores over time. */
export function AssessmentsSection({ periodId }: { periodId: string }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const instruments = useInstruments();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const [chosen, setChosen] = useState('');
  const [entering, { open, close }] = useDisclosure(false);
  return (
    <QuerySection
      title={t('periods.assessments.title')}
      query={instruments}
      isEmpty={(items) => items.filter((item) => item.active).length === 0}
      empty={t('periods.assessments.noInstruments')}
      testId="assessments"
    >
      {(items) => {
        const active = items.filter((item) => item.active);
        const instrument = active.find((item) => item.id === chosen) ?? active[0];
        if (!instrument) return null;
        return (
          <Stack gap="sm">
            <Group align="flex-end">
              <NativeSelect
                label={t('periods.assessments.instrument')}
                value={instrument.id}
                onChange={(event) => {
                  setChosen(event.currentTarget.value);
                  close();
                }}
                data={active.map((item) => ({ value: item.id, label: name(item) }))}
              />
              {canWrite && !entering && (
                <Button variant="default" onClick={open}>
                  {t('periods.assessments.new')}
                </Button>
              )}
            </Group>
            <Collapse expanded={entering}>
              {entering && <NewAssessmentForm key={instrument.id} periodId={periodId} instrument={instrument} onDone={close} />}
            </Collapse>
            <Text size="sm" c="dimmed">
              {t('periods.assessments.help')}
            </Text>
            <InstrumentScores periodId={periodId} instrument={instrument} />
          </Stack>
        );
      }}
    </QuerySection>
  );
}
