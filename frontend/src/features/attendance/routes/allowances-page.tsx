import { Button, Container, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { DataTable } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { ErrorState } from '@/components/states';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { addMonths, monthName } from '@/lib/dates';
import { todayIso } from '@/lib/format';
import { useCan } from '@/lib/me';
import { useUnits } from '@/lib/units';

import { fetchAllowancesCsv, useAllowances } from '../api/get-allowances';
import { MissingPermission } from '../components/missing-permission';

const euros = new Intl.NumberFormat('fi-FI', { style: 'currency', currency: 'EUR' });
const formatCents = (cents: number) => euros.format(cents / 100);

/** Saves a blob as a file through a temporary link (the API needs the bearer token, so no bare link). */
function saveBlob(blob: Blob, fileName: string) {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(href);
}

/** The monthly expense allowance (kulukorvaus) report of KTT periods, for a unit or the organisation. */
export function AllowancesPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('allowances.title'));
  const canRead = useCan('allowances_read');
  const units = useUnits();
  const [month, setMonth] = useState(todayIso().slice(0, 7));
  const monthLabelId = useId();
  const [unitId, setUnitId] = useState('');
  const report = useAllowances(canRead ? month : '', unitId || null);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      const blob = await fetchAllowancesCsv(month, unitId || null);
      saveBlob(blob, `kulukorvaukset-${month}.csv`);
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Container size="xl">
      <Stack gap="lg">
        <Title order={1}>{t('allowances.title')}</Title>
        {!canRead ? (
          <MissingPermission permissions={['allowances_read']} what={t('allowances.noAccess')} />
        ) : (
          <>
            <Text>{t('allowances.description')}</Text>
            <Group align="flex-end">
              <Stack gap={4}>
                <Text size="sm" fw={500} id={monthLabelId}>
                  {t('allowances.month')}
                </Text>
                <Group gap="xs" role="group" aria-labelledby={monthLabelId}>
                  <Button
                    variant="default"
                    onClick={() => {
                      setMonth(addMonths(month, -1));
                    }}
                  >
                    ← {t('attendance.calendar.previous')}
                  </Button>
                  <Text fw={600} miw={140} ta="center" aria-live="polite" data-testid="allowance-month">
                    {monthName(month, i18n.resolvedLanguage)}
                  </Text>
                  <Button
                    variant="default"
                    onClick={() => {
                      setMonth(addMonths(month, 1));
                    }}
                  >
                    {t('attendance.calendar.next')} →
                  </Button>
                </Group>
              </Stack>
              <NativeSelect
                label={t('allowances.unit')}
                value={unitId}
                onChange={(event) => {
                  setUnitId(event.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('allowances.allUnits') },
                  ...(units.data?.items ?? []).map((unit) => ({ value: unit.id, label: unit.name })),
                ]}
              />
              <Button variant="default" onClick={() => void download()} loading={downloading}>
                {t('allowances.downloadCsv')}
              </Button>
            </Group>
            {downloadError !== null && <ErrorState error={downloadError} />}
            <QuerySection
              title={t('allowances.reportTitle', { month: monthName(month, i18n.resolvedLanguage) })}
              query={report}
              isEmpty={(data) => data.rows.length === 0}
              empty={t('allowances.empty')}
              permissions={['allowances_read']}
              testId="allowances"
            >
              {(data) => (
                <DataTable
                  minWidth={640}
                  rows={data.rows}
                  rowKey={(row) => row.period_id}
                  columns={[
                    {
                      header: t('allowances.columns.name'),
                      rowHeader: true,
                      cell: (row) => (
                        <>
                          {row.last_name}, {row.first_names}
                        </>
                      ),
                      footer: t('allowances.columns.sum'),
                    },
                    {
                      header: t('allowances.columns.participationDays'),
                      align: 'end',
                      cell: (row) => row.participation_days,
                      footer: data.participation_days,
                      strongFooter: true,
                    },
                    {
                      header: t('allowances.columns.payableDays'),
                      align: 'end',
                      cell: (row) => row.payable_days,
                      footer: data.payable_days,
                      strongFooter: true,
                    },
                    {
                      header: t('allowances.columns.rate'),
                      align: 'end',
                      cell: (row) => formatCents(row.rate_cents),
                      footer: formatCents(data.rate_cents),
                    },
                    {
                      header: t('allowances.columns.total'),
                      align: 'end',
                      cell: (row) => formatCents(row.total_cents),
                      footer: formatCents(data.total_cents),
                      strongFooter: true,
                    },
                  ]}
                />
              )}
            </QuerySection>
          </>
        )}
      </Stack>
    </Container>
  );
}
