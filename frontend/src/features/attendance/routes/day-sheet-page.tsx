import { Alert, Badge, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { DateField } from '@/components/date-field';
import { ButtonLink } from '@/components/button-link';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { addDays, isIsoDate, weekdayName } from '@/lib/dates';
import { translateIfExists } from '@/lib/field-errors';
import { formatDate, todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { useUnits } from '@/lib/units';

import { useDaySheet } from '../api/get-day-sheet';
import { DaySheetEditor } from '../components/day-sheet-editor';
import { MissingPermission } from '../components/missing-permission';
import { attendanceWrite } from '../components/permissions';

/** The day sheet of a group or a unit at `/attendance/$sheetId/$date`. */
export function DaySheetPage() {
  const { t, i18n } = useTranslation();
  const params = useParams({ strict: false });
  const sheetId = params.sheetId ?? '';
  const date = params.date && isIsoDate(params.date) ? params.date : todayIso();
  const navigate = useNavigate();
  const sheet = useDaySheet(sheetId, date);
  const units = useUnits();
  const canWrite = useCan(...attendanceWrite);
  const today = todayIso();
  const unitName = units.data?.items.find((unit) => unit.id === sheet.data?.unit_id)?.name;
  const title = sheet.data?.group_name ?? (unitName ? t('attendance.sheet.unitTitle', { unit: unitName }) : t('attendance.sheet.title'));
  useDocumentTitle(`${title} ${formatDate(date)}`);

  const go = (to: string) => {
    void navigate({ to: '/attendance/$sheetId/$date', params: { sheetId, date: to } });
  };

  return (
    <Container size="xl">
      <Stack gap="md">
        <AnchorLink to="/attendance" size="sm">
          ← {t('attendance.backToGroups')}
        </AnchorLink>
        <Group justify="space-between" align="flex-end">
          <Stack gap={0}>
            <Title order={1}>{title}</Title>
            <Text size="lg" data-testid="sheet-date">
              {weekdayName(date, i18n.resolvedLanguage)} {formatDate(date)}
              {date === today ? ` (${t('attendance.sheet.today')})` : ''}
            </Text>
          </Stack>
          <Group gap="xs" align="flex-end" component="nav" aria-label={t('attendance.sheet.dateNav')}>
            <ButtonLink variant="default" size="sm" to="/attendance/$sheetId/$date" params={{ sheetId, date: addDays(date, -1) }}>
              ← {t('attendance.sheet.previousDay')}
            </ButtonLink>
            <ButtonLink variant="default" size="sm" to="/attendance/$sheetId/$date" params={{ sheetId, date: today }}>
              {t('attendance.sheet.todayButton')}
            </ButtonLink>
            <ButtonLink variant="default" size="sm" to="/attendance/$sheetId/$date" params={{ sheetId, date: addDays(date, 1) }}>
              {t('attendance.sheet.nextDay')} →
            </ButtonLink>
            <DateField
              size="sm"
              label={t('attendance.sheet.chooseDate')}
              value={date}
              onChange={(value) => {
                if (isIsoDate(value)) go(value);
              }}
            />
          </Group>
        </Group>
        {sheet.data?.holiday && (
          <Alert color="warning" data-testid="holiday">
            {t('attendance.sheet.holiday', {
              name: translateIfExists(`attendance.holidays.${sheet.data.holiday.code}`) ?? sheet.data.holiday.name,
            })}
          </Alert>
        )}
        {date > today && <Text c="dimmed">{t('attendance.sheet.future')}</Text>}
        {!canWrite && <MissingPermission permissions={attendanceWrite} what={t('attendance.sheet.readOnly')} />}
        {sheet.isPending ? (
          <LoadingState />
        ) : sheet.isError ? (
          <ErrorState
            error={sheet.error}
            onRetry={() => void sheet.refetch()}
            permissions={['clients_read_own_units', 'clients_read_all']}
          />
        ) : sheet.data.rows.length === 0 ? (
          <EmptyState>{t('attendance.sheet.empty')}</EmptyState>
        ) : (
          <>
            {sheet.data.group_id && (
              <Group>
                <Badge variant="light">{t('attendance.sheet.people', { count: sheet.data.rows.length })}</Badge>
                <AnchorLink to="/attendance/groups/$groupId" params={{ groupId: sheet.data.group_id }} size="sm">
                  {t('attendance.groups.manage')}
                </AnchorLink>
              </Group>
            )}
            <DaySheetEditor key={`${sheetId}/${date}`} sheetId={sheetId} date={date} sheet={sheet.data} canWrite={canWrite} />
          </>
        )}
      </Stack>
    </Container>
  );
}
