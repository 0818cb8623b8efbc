import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { components } from '@/api/schema';

import { apiClient } from './api-client';
import { unwrap } from './problem';
import { apiKey } from './query-keys';

export type CodeList = components['schemas']['CodeList'];
export type CodeValue = components['schemas']['CodeValueResponse'];

export const codeListQueryOptions = (list: CodeList) =>
  queryOptions({
    queryKey: apiKey('get', '/api/v1/code-lists/{list}', list),
    queryFn: async ({ signal }) =>
      unwrap(await apiClient.GET('/api/v1/code-lists/{list}', { params: { path: { list } }, signal })),
    staleTime: 30 * 60_000,
  });

/** The name of a code (service type, referrer, outcome) in the UI language; the code itself until loaded. */
export function useCodeName(list: CodeList): (code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { data } = useQuery(codeListQueryOptions(list));
  return (code) => {
    if (!code) return '';
    const value = data?.find((item) => item.code === code);
    if (!value) return code;
    if (i18n.resolvedLanguage === 'sv') return value.name_sv;
    if (i18n.resolvedLanguage === 'en') return value.name_en;
    return value.name_fi;
  };
}
