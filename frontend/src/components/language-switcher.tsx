import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { isLanguage, languages } from '@/lib/i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();

  return (
    <NativeSelect
      aria-label={t('language.label')}
      value={i18n.resolvedLanguage}
      onChange={(event) => {
        const language = event.currentTarget.value;
        if (isLanguage(language)) {
          void i18n.changeLanguage(language);
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
