import { NativeSelect } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { apiClient } from '@/lib/api-client';
import { isLanguage, languages } from '@/lib/i18n';
import { meQueryOptions } from '@/lib/me';
import { getSessionState } from '@/lib/session';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();

  return (
    <NativeSelect
      aria-label={t('language.label')}
      value={i18n.resolvedLanguage}
      onChange={(event) => {
        const language = event.currentTarget.value;
        if (isLanguage(language)) {
          void i18n.changeLanguage(language);
          // Signed in, the choice is kept: the next login starts in it.
          if (getSessionState() === 'authenticated') {
            void apiClient.PATCH('/api/v1/auth/me', { body: { language } }).then(({ data }) => {
              if (data) queryClient.setQueryData(meQueryOptions().queryKey, data);
            });
          }
        }
      }}
    >
      {languages.map((language) => (
        // Each language is named in itself, so it is marked as being in that language.
        <option key={language} value={language} lang={language}>
          {t(`language.${language}`)}
        </option>
      ))}
    </NativeSelect>
  );
}
