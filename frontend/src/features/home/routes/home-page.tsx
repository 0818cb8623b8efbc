import { Badge, Container, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { AnchorLink } from '@/components/anchor-link';
import { DataTable } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCodeName } from '@/lib/code-lists';
import { formatDate, formatInstantDate, todayIso } from '@/lib/format';
import { useCan, useMe, type Permission } from '@/lib/me';

import { useAttention } from '../api/get-attention';
import { useAttendanceGroups } from '../api/list-attendance-groups';
import { useClientsWithoutConsent } from '../api/list-clients-without-consent';
import { useExpiringConsents } from '../api/list-expiring-consents';
import { useMyPeriods } from '../api/list-my-periods';

const readClients: Permission[] = ['clients_read_own_units', 'clients_read_all'];

function ClientLink({ id, name }: { id: string; name: string }) {
  return (
    <AnchorLink to="/clients/$clientId" params={{ clientId: id }}>
      {name}
    </AnchorLink>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const canRead = useCan(...readClients);
  const serviceTypeName = useCodeName('service_type');
  useDocumentTitle(t('home.title'));

  const attention = useAttention(canRead);
  const expiring = useExpiringConsents(canRead);
  const withoutConsent = useClientsWithoutConsent(canRead);
  const myPeriods = useMyPeriods(canRead);
  const groups = useAttendanceGroups(canRead);
  const canMark = useCan('clients_write_own_units', 'clients_write_all', 'attendance_write');
  const today = todayIso();

  return (
    <Container size="xl">
      <Stack gap="xl">
        <Stack gap={4}>
          <Title order={1}>{t('home.title')}</Title>
          {me && <Text size="lg">{t('home.greeting', { name: me.display_name })}</Text>}
        </Stack>
        {!canRead ? (
          <Text>{t('home.noClientAccess')}</Text>
        ) : (
          <>
            <QuerySection
              title={t('home.attention.title')}
              query={attention}
              isEmpty={(items) => items.length === 0}
              empty={t('home.attention.empty')}
              permissions={readClients}
              testId="attention"
            >
              {(items) => (
                <DataTable
                  minWidth={560}
                  rows={items}
                  rowKey={(item) => `${item.period_id}-${item.reason}`}
                  columns={[
                    { header: t('home.columns.client'), cell: (item) => <ClientLink id={item.client_id} name={item.client_name} /> },
                    {
                      header: t('home.columns.reason'),
                      cell: (item) => (
                        <Badge variant="light" color={item.reason === 'final_statement_missing' ? 'alert' : 'highlight'}>
                          {t(`home.attention.reasons.${item.reason}`)}
                        </Badge>
                      ),
                    },
                    { header: t('home.columns.serviceType'), cell: (item) => serviceTypeName(item.service_type) },
                    { header: t('home.columns.due'), cell: (item) => formatDate(item.due_on) },
                  ]}
                />
              )}
            </QuerySection>

            <QuerySection
              title={t('home.attendance.title', { date: formatDate(today) })}
              query={groups}
              isEmpty={(items) => items.length === 0}
              empty={t('home.attendance.empty')}
              permissions={readClients}
              testId="attendance-today"
            >
              {(items) => (
                <Stack gap={4}>
                  {!canMark && <Text c="dimmed">{t('home.attendance.readOnly')}</Text>}
                  <Stack gap={4} component="ul" style={{ paddingInlineStart: '1.25rem', margin: 0 }}>
                    {items.map((group) => (
                      <li key={group.id}>
                        <AnchorLink to="/attendance/$sheetId/$date" params={{ sheetId: group.id, date: today }}>
                          {t('home.attendance.mark', { name: group.name })}
                        </AnchorLink>{' '}
                        <Text span c="dimmed">
                          {t('home.attendance.members', { count: group.active_members })}
                        </Text>
                      </li>
                    ))}
                  </Stack>
                </Stack>
              )}
            </QuerySection>

            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
              <QuerySection
                title={t('home.withoutConsent.title')}
                query={withoutConsent}
                isEmpty={(page) => page.items.length === 0}
                empty={t('home.withoutConsent.empty')}
                permissions={readClients}
                testId="without-consent"
              >
                {(page) => (
                  <Stack gap={4} component="ul" style={{ paddingInlineStart: '1.25rem', margin: 0 }}>
                    {page.items.map((item) => (
                      <li key={item.client_id}>
                        <ClientLink id={item.client_id} name={item.client_name} />
                      </li>
                    ))}
                    {page.next_cursor && <Text c="dimmed">{t('home.more')}</Text>}
                  </Stack>
                )}
              </QuerySection>

              <QuerySection
                title={t('home.expiring.title')}
                query={expiring}
                isEmpty={(page) => page.items.length === 0}
                empty={t('home.expiring.empty')}
                permissions={readClients}
                testId="expiring-consents"
              >
                {(page) => (
                  <Stack gap={4} component="ul" style={{ paddingInlineStart: '1.25rem', margin: 0 }}>
                    {page.items.map((item) => (
                      <li key={item.consent_id}>
                        <ClientLink id={item.client_id} name={item.client_name} />{' '}
                        <Text span>
                          {t('home.expiring.item', {
                            kind: t(`consents.kinds.${item.kind}`),
                            date: formatInstantDate(item.valid_until),
                          })}
                        </Text>
                      </li>
                    ))}
                  </Stack>
                )}
              </QuerySection>
            </SimpleGrid>

            <QuerySection
              title={t('home.myPeriods.title')}
              query={myPeriods}
              isEmpty={(page) => page.items.length === 0}
              empty={t('home.myPeriods.empty')}
              permissions={readClients}
              testId="my-periods"
            >
              {(page) => (
                <DataTable
                  minWidth={560}
                  rows={page.items}
                  rowKey={({ period }) => period.id}
                  columns={[
                    { header: t('home.columns.client'), cell: ({ client_name, period }) => <ClientLink id={period.client_id} name={client_name} /> },
                    { header: t('home.columns.serviceType'), cell: ({ period }) => serviceTypeName(period.service_type) },
                    { header: t('home.columns.starts'), cell: ({ period }) => formatDate(period.starts_on) },
                    { header: t('home.columns.plannedEnd'), cell: ({ period }) => formatDate(period.planned_end_on) },
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
