import { Button, Container, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { AccessReasonDialog, isReasonRequired } from '@/components/access-reason-dialog';
import { AnchorLink } from '@/components/anchor-link';
import { DateField } from '@/components/date-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCodeName } from '@/lib/code-lists';
import { formatDate, formatNumber, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';

import { useCreateDiaryEntry } from '../api/create-diary-entry';
import { useCreateGoal } from '../api/create-goal';
import { usePeriodPage } from '../api/get-period-page';
import { useSearchDiary } from '../api/search-diary';
import type { DiaryEntry, Goal, GoalStatus, PeriodPage } from '../api/types';
import { AgreementsSection } from '../components/agreements-section';
import { AssessmentsSection } from '../components/assessments-section';
import { GoalItem, goalStatuses } from '../components/goal-item';
import { PeriodActions, PeriodOutcome, PeriodStateBadge } from '../components/period-actions';
import { DiaryEntryItem } from '../components/diary-entry';
import { PeriodReports } from '../components/report-editor';
import { RuleWarnings } from '../components/rule-warnings';


function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  const id = useId();
  return (
    <Stack component="section" aria-labelledby={id} gap="sm" data-testid={testId}>
      <Title order={2} id={id}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function Goals({ periodId, goals }: { periodId: string; goals: Goal[] }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const create = useCreateGoal(periodId);
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState<GoalStatus>('open');
  return (
    <Section title={t('periods.goals.title')} testId="goals">
      {goals.length === 0 ? (
        <EmptyState>{t('periods.goals.empty')}</EmptyState>
      ) : (
        <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {goals.map((goal) => (
            <GoalItem key={goal.id} periodId={periodId} goal={goal} canWrite={canWrite} />
          ))}
        </Stack>
      )}
      {canWrite && (
        <form
          noValidate
          aria-label={t('periods.goals.add')}
          onSubmit={(event) => {
            event.preventDefault();
            if (!title.trim()) return;
            create.mutate(
              { title: title.trim(), status },
              {
                onSuccess: () => {
                  setTitle('');
                  setStatus('open');
                },
              },
            );
          }}
        >
          <Group align="flex-end">
            <TextInput
              label={t('periods.goals.newTitle')}
              value={title}
              maxLength={300}
              onChange={(event) => {
                setTitle(event.currentTarget.value);
              }}
              style={{ flex: '1 1 300px' }}
            />
            <NativeSelect
              label={t('periods.goals.status')}
              value={status}
              onChange={(event) => {
                setStatus(event.currentTarget.value as GoalStatus);
              }}
              data={goalStatuses.map((value) => ({ value, label: t(`periods.goals.statuses.${value}`) }))}
            />
            <Button type="submit" variant="default" loading={create.isPending} disabled={!title.trim()}>
              {t('periods.goals.add')}
            </Button>
          </Group>
          {create.isError && <ErrorState error={create.error} />}
        </form>
      )}
    </Section>
  );
}

function Diary({ periodId, entries }: { periodId: string; entries: DiaryEntry[] }) {
  const { t } = useTranslation();
  const canWrite = useCan('clients_write_own_units', 'clients_write_all');
  const create = useCreateDiaryEntry(periodId);
  const [body, setBody] = useState('');
  const [date, setDate] = useState(todayIso());
  const [search, setSearch] = useState('');
  const save = () => {
    if (!body.trim() || create.isPending) return;
    create.mutate(
      { body: body.trim(), entry_date: date || null, sensitive: false },
      {
        onSuccess: () => {
          setBody('');
        },
      },
    );
  };
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // Without a search the page's latest entries show; a search reads the whole diary on the server.
  const searching = debounced !== '' || from !== '' || to !== '';
  const found = useSearchDiary(
    periodId,
    { ...(debounced ? { q: debounced } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) },
    searching,
  );
  const shown = searching ? (found.data?.pages.flatMap((result) => result.items) ?? []) : entries;

  return (
    <Section title={t('periods.diary.title')} testId="diary">
      {canWrite && (
        <form
          noValidate
          aria-label={t('periods.diary.new')}
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, sm: 4 }}>
              <DateField
                label={t('periods.diary.date')}
                max={todayIso()}
                value={date}
                onChange={(value) => {
                  setDate(value);
                }}
              />
            </SimpleGrid>
            <Textarea
              label={t('periods.diary.new')}
              description={t('periods.diary.shortcut')}
              autosize
              minRows={3}
              value={body}
              onChange={(event) => {
                setBody(event.currentTarget.value);
              }}
              onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                  event.preventDefault();
                  save();
                }
              }}
            />
            {create.isError && <ErrorState error={create.error} />}
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending} disabled={!body.trim()}>
                {t('periods.diary.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Group align="flex-end" role="search">
        <TextInput
          type="search"
          label={t('periods.diary.search')}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
          }}
          style={{ flex: '1 1 280px' }}
        />
        <DateField label={t('periods.diary.from')} value={from} onChange={setFrom} />
        <DateField label={t('periods.diary.to')} value={to} onChange={setTo} />
      </Group>
      {searching && found.isError && <ErrorState error={found.error} onRetry={() => void found.refetch()} />}
      {searching && found.isPending && <LoadingState />}
      {searching && (found.isPending || found.isError) ? null : shown.length === 0 ? (
        <EmptyState>{!searching ? t('periods.diary.empty') : t('periods.diary.noMatches')}</EmptyState>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-live="polite">
          {shown.map((entry) => (
            <DiaryEntryItem key={entry.id} periodId={periodId} entry={entry} />
          ))}
        </Stack>
      )}
      {searching && found.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={found.isFetchingNextPage} onClick={() => void found.fetchNextPage()}>
            {t('periods.diary.more')}
          </Button>
        </Group>
      )}
    </Section>
  );
}

function PeriodHeader({ page }: { page: PeriodPage }) {
  const { t } = useTranslation();
  const serviceTypeName = useCodeName('service_type');
  const { period } = page;
  return (
    <Stack gap="sm">
      <AnchorLink to="/clients/$clientId" params={{ clientId: period.client_id }} size="sm">
        ← {t('periods.backToClient')}
      </AnchorLink>
      <Group gap="sm">
        <Title order={1}>{serviceTypeName(period.service_type)}</Title>
        <PeriodStateBadge period={period} />
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 4 }} m={0}>
          <div>
            <Text component="dt" size="sm" c="dimmed">
              {t('periods.fields.startsOn')}
            </Text>
            <Text component="dd" m={0}>
              {formatDate(period.starts_on)}
            </Text>
          </div>
          <div>
            <Text component="dt" size="sm" c="dimmed">
              {t('periods.fields.plannedEndOn')}
            </Text>
            <Text component="dd" m={0}>
              {formatDate(period.planned_end_on) || '–'}
            </Text>
          </div>
          <div>
            <Text component="dt" size="sm" c="dimmed">
              {t('periods.fields.schedule')}
            </Text>
            <Text component="dd" m={0}>
              {period.days_per_week != null && period.hours_per_day != null
                ? t('periods.schedule', { days: period.days_per_week, hours: formatNumber(period.hours_per_day) })
                : '–'}
            </Text>
          </div>
          <div>
            <Text component="dt" size="sm" c="dimmed">
              {t('periods.fields.endsOn')}
            </Text>
            <Text component="dd" m={0}>
              {formatDate(period.ends_on) || t('periods.ongoing')}
            </Text>
          </div>
        </SimpleGrid>
        <PeriodOutcome period={period} />
      </Paper>
      <RuleWarnings warnings={period.warnings} />
      <PeriodActions key={period.version} period={period} />
    </Stack>
  );
}

/** The period page; `attendance` is the page's attendance section, given by the app (another feature's). */
export function PeriodPageView({ attendance }: { attendance?: (page: PeriodPage) => React.ReactNode }) {
  const { t } = useTranslation();
  const { periodId } = useParams({ strict: false });
  const id = periodId ?? '';
  const page = usePeriodPage(id);
  useDocumentTitle(t('periods.pageTitle'));
  const navigate = useNavigate();

  return (
    <Container size="xl">
      {page.isPending ? (
        <LoadingState />
      ) : page.isError && isReasonRequired(page.error) ? (
        <AccessReasonDialog subjectId={id} onCancel={() => void navigate({ to: '/clients' })} />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} permissions={['clients_read_own_units', 'clients_read_all']} />
      ) : (
        <Stack gap="xl">
          <PeriodHeader page={page.data} />
          <Goals periodId={id} goals={page.data.goals} />
          <AgreementsSection periodId={id} />
          <Diary periodId={id} entries={page.data.diary} />
          {attendance?.(page.data)}
          <AssessmentsSection periodId={id} />
          <PeriodReports periodId={id} />
        </Stack>
      )}
    </Container>
  );
}
