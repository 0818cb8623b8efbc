import { Alert, Badge, Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { DataTable } from '@/components/data-table';
import { QuerySection } from '@/components/query-section';
import { formatDateTime } from '@/lib/format';

import { useEndSession, useSessions, type UserSession } from '../api/sessions';
import { formErrors } from './account-errors';

/** A readable name of a browser from its User-Agent: "Firefox, Windows"; the raw string otherwise. */
export function describeBrowser(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const browser = userAgent.includes('Edg/')
    ? 'Edge'
    : userAgent.includes('Firefox/')
      ? 'Firefox'
      : userAgent.includes('Chrome/') || userAgent.includes('Chromium/')
        ? 'Chrome'
        : userAgent.includes('Safari/')
          ? 'Safari'
          : null;
  const system = userAgent.includes('Windows')
    ? 'Windows'
    : userAgent.includes('Android')
      ? 'Android'
      : userAgent.includes('iPhone') || userAgent.includes('iPad')
        ? 'iOS'
        : userAgent.includes('Mac OS X')
          ? 'macOS'
          : userAgent.includes('Linux')
            ? 'Linux'
            : null;
  if (!browser) return userAgent.slice(0, 60);
  return system ? `${browser}, ${system}` : browser;
}

/** The user's own live sessions, and ending one left open elsewhere. */
export function SessionsSection() {
  const { t } = useTranslation();
  const sessions = useSessions();
  const end = useEndSession();
  const error = formErrors(t, end.error, []).general;

  return (
    <QuerySection
      title={t('account.sessions.heading')}
      query={sessions}
      isEmpty={(rows) => rows.length === 0}
      empty={t('account.sessions.empty')}
      testId="sessions"
      actions={
        <>
          <Text>{t('account.sessions.intro')}</Text>
          {error && (
            <Alert color="alert" role="alert">
              {error}
            </Alert>
          )}
        </>
      }
    >
      {(rows) => (
        <DataTable<UserSession>
          minWidth={640}
          caption={t('account.sessions.caption')}
          rows={rows}
          rowKey={(row) => row.id}
          rowAttributes={(row) => ({ 'data-current': String(row.current) })}
          columns={[
            {
              header: t('account.sessions.browser'),
              rowHeader: true,
              cell: (row) => (
                <>
                  {describeBrowser(row.user_agent) ?? t('account.sessions.unknownBrowser')}{' '}
                  {row.current && (
                    <Badge variant="light" color="success">
                      {t('account.sessions.current')}
                    </Badge>
                  )}
                </>
              ),
            },
            { header: t('account.sessions.address'), cell: (row) => row.source_address ?? '–' },
            { header: t('account.sessions.created'), cell: (row) => formatDateTime(row.created_at) },
            { header: t('account.sessions.lastUsed'), cell: (row) => formatDateTime(row.last_refreshed_at) },
            {
              header: t('account.sessions.actions'),
              cell: (row) =>
                row.current ? (
                  '–'
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    loading={end.isPending && end.variables === row.id}
                    aria-label={t('account.sessions.endNamed', {
                      browser: describeBrowser(row.user_agent) ?? t('account.sessions.unknownBrowser'),
                      time: formatDateTime(row.created_at),
                    })}
                    onClick={() => {
                      end.mutate(row.id);
                    }}
                  >
                    {t('account.sessions.end')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </QuerySection>
  );
}
