import { useTranslation } from 'react-i18next';

interface Named {
  name_fi: string;
  name_sv: string;
  name_en: string;
}

/** A code value's name in the UI language. */
export function useLocalName(): (value: Named) => string {
  const { i18n } = useTranslation();
  return (value) => (i18n.resolvedLanguage === 'sv' ? value.name_sv : i18n.resolvedLanguage === 'en' ? value.name_en : value.name_fi);
}
