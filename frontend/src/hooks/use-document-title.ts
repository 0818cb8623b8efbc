import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the browser tab's title to "`pageTitle` – Polku", or "Polku" for none (WCAG 2.4.2). */
export function useDocumentTitle(pageTitle?: string) {
  const { t } = useTranslation();
  const appName = t('app.name');

  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} – ${appName}` : appName;
  }, [pageTitle, appName]);
}
