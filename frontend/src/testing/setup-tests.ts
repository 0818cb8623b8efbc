import '@testing-library/jest-dom/vitest';

import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

import { defaultLanguage, i18n } from '@/lib/i18n';
import { reportNetworkSuccess } from '@/lib/network';
import { resetSessionForTests } from '@/lib/session';

// Routes load lazily and the CPU may be shared (CI, a parallel build): be patient.
configure({ asyncUtilTimeout: 5_000 });

// jsdom lacks the layout APIs Mantine relies on.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => Object.assign(new EventTarget(), { matches: false, media: query, onchange: null }),
});

window.ResizeObserver = class {
  observe() {
    // Nothing is ever laid out in jsdom.
  }
  unobserve() {
    // Nothing to stop observing.
  }
  disconnect() {
    // Nothing to disconnect.
  }
};

// Not in jsdom: Mantine's autosizing textarea listens for web fonts loading.
Object.defineProperty(document, 'fonts', {
  configurable: true,
  value: Object.assign(new EventTarget(), { ready: Promise.resolve() }),
});

// Not implemented by jsdom: the router restores scroll, axe probes for a canvas.
window.scrollTo = () => undefined;
HTMLCanvasElement.prototype.getContext = () => null;

afterEach(async () => {
  cleanup();
  resetSessionForTests();
  reportNetworkSuccess();
  await i18n.changeLanguage(defaultLanguage);
  localStorage.clear();
});
