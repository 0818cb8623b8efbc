// Browser smoke tests of a running Polku: the SPA, its accessibility and the API docs.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 npm test
//
// Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium); nothing here
// downloads a browser.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const baseUrl = process.env.POLKU_E2E_BASE_URL;
if (!baseUrl) {
  throw new Error(
    'POLKU_E2E_BASE_URL is not set. Point it at a running Polku, e.g.\n' +
      '  POLKU_E2E_BASE_URL=http://127.0.0.1:8080 npm test',
  );
}

const url = (path) => new URL(path, baseUrl).href;

// The SPA's own strings, so these tests follow the translations. Finnish is the default.
const fi = JSON.parse(readFileSync(new URL('../../frontend/src/locales/fi.json', import.meta.url), 'utf8'));

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TEST_TIMEOUT_MS = 60_000;

let browser;

before(async () => {
  // launch() gives every run a fresh temporary profile (user data dir) and removes it on close.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** Runs `fn` with a page in a new browser context, collecting Content-Security-Policy violations. */
async function withPage(fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const cspViolations = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  try {
    await fn(page, cspViolations);
  } finally {
    await context.close();
  }
}

async function waitForReady(page) {
  await page.locator('[data-testid="server-status"][data-state="ready"]').waitFor({ timeout: 15_000 });
}

async function assertNoAxeViolations(page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const report = violations
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.helpUrl}\n` +
        violation.nodes.map((node) => `  - ${node.target.join(' ')}\n    ${node.failureSummary}`).join('\n'),
    )
    .join('\n');
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${page.url()}:\n${report}`);
}

describe('Polku in a browser', () => {
  test('the home page renders and reports the server ready', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withPage(async (page, cspViolations) => {
      const response = await page.goto(url('/'));
      assert.equal(response?.status(), 200);

      await page.getByRole('heading', { level: 1, name: fi.app.name, exact: true }).waitFor({ state: 'visible' });
      await waitForReady(page);

      assert.equal(await page.locator('html').getAttribute('lang'), 'fi');
      assert.deepEqual(cspViolations, [], 'the page must work under the Content-Security-Policy');
    });
  });

  test('the home page has no WCAG 2.1 AA violations', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withPage(async (page) => {
      await page.goto(url('/'));
      await page.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });
      await waitForReady(page);

      await assertNoAxeViolations(page);
    });
  });

  test('a deep client-side route gets the SPA and its not-found page', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withPage(async (page) => {
      const response = await page.goto(url('/some/deep/route'));
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-type'] ?? '', /^text\/html/);

      await page.getByRole('heading', { level: 1, name: fi.notFound.title, exact: true }).waitFor({ state: 'visible' });
      await page.getByText(fi.notFound.description, { exact: true }).waitFor({ state: 'visible' });

      await assertNoAxeViolations(page);
    });
  });

  test('the API docs load Swagger UI', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withPage(async (page) => {
      const response = await page.goto(url('/api/docs/'));
      assert.equal(response?.status(), 200);

      // Swagger UI's script renders this element, so its assets loaded and ran.
      await page.locator('.swagger-ui').first().waitFor({ state: 'attached' });
    });
  });
});
