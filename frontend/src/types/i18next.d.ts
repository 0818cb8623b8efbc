import 'i18next';

import type fi from '@/locales/fi.json';

// Translation keys are checked at compile time against the Finnish resources.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fi };
  }
}
