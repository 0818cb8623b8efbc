import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import en from '@/locales/en.json';
import fi from '@/locales/fi.json';
import sv from '@/locales/sv.json';

export const languages = ['fi', 'sv', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'fi';

/** Every language must have every key of the Finnish resources (also checked by a test). */
export const resources = {
  fi: { translation: fi },
  sv: { translation: sv satisfies typeof fi },
  en: { translation: en satisfies typeof fi },
} as const;

const storageKey = 'polku.language';

export function isLanguage(value: unknown): value is Language {
  return languages.some((language) => language === value);
}

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : defaultLanguage;
  } catch {
    // Storage can be unavailable (privacy modes); the default will do.
    return defaultLanguage;
  }
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembering the choice is acceptable.
  }
}

export const i18n = i18next.createInstance();

i18n.on('languageChanged', applyLanguage);

// Resources are bundled, so initialisation is synchronous: the first render is translated.
void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: defaultLanguage,
  supportedLngs: languages,
  initAsync: false,
  // React escapes rendered strings already.
  interpolation: { escapeValue: false },
});
