// Screenshots of the web app in Finnish for docs/screenshots/, taken against a running
// `polku serve --demo` (the demo organisation's working day, nothing added) as the demo
// coach (no 2FA): the home, client list, client, period, client form and attendance day
// sheet screens.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 POLKU_E2E_DEMO_LOGINS=data/demo-logins.txt node screenshots.mjs

import { readFileSync } from 'node:fs';

import { chromium } from 'playwright-core';

const baseUrl = process.env.POLKU_E2E_BASE_URL;
const logins = readFileSync(process.env.POLKU_E2E_DEMO_LOGINS, 'utf8');
const password = logins.match(/coach@demo\.polku\.fi\s+(\S+)/)[1];
const out = new URL('../../docs/screenshots/', import.meta.url);
const url = (path) => new URL(path, baseUrl).href;

async function api(path, token, body, method = body ? 'POST' : 'GET') {
  const response = await fetch(url(path), {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const { access_token: token } = await api('/api/v1/auth/login', null, { email: 'coach@demo.polku.fi', password });
// The client shown: the coach's KTT client longest in an ongoing group period (diary, goals,
// assessments over months, an interim report).
const mine = await api('/api/v1/periods?mine=true&limit=100', token);
const running = mine.items
  .filter(({ period }) => period.service_type === 'ktt' && !period.ends_on && period.mode === 'group' && period.starts_on < day(-100))
  .sort((a, b) => a.period.starts_on.localeCompare(b.period.starts_on) || a.client_name.localeCompare(b.client_name));
const shown = running[running.length - 1];
const period = shown.period.id;
const clientId = shown.period.client_id;
const client = await api(`/api/v1/clients/${clientId}`, token);
// The group's sheet of the latest day marked (today is left for the coach).
const groups = await api('/api/v1/attendance-groups', token);
const group = (groups.items ?? groups).find((g) => g.name === 'Kierrätyspaja');
let sheetDay = day(-1);
for (;;) {
  const sheet = await api(`/api/v1/attendance/${group.id}/${sheetDay}`, token);
  if (!sheet.holiday && sheet.rows.some((row) => row.record)) break;
  sheetDay = new Date(new Date(`${sheetDay}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce', locale: 'fi-FI', timezoneId: 'Europe/Helsinki' })).newPage();
await page.goto(url('/login'));
await page.getByLabel('Sähköposti').fill('coach@demo.polku.fi');
await page.getByLabel('Salasana').fill(password);
await page.screenshot({ path: new URL('login.png', out).pathname });
await page.getByRole('button', { name: 'Kirjaudu' }).click();
await page.getByRole('heading', { level: 1, name: 'Etusivu' }).waitFor();
await page.getByTestId('my-periods').getByRole('table').waitFor();
await page.screenshot({ path: new URL('home.png', out).pathname, fullPage: true });
await page.getByRole('navigation').getByRole('link', { name: 'Asiakkaat' }).click();
await page.getByTestId('client-results').waitFor();
await page.screenshot({ path: new URL('clients.png', out).pathname });
await page.goto(url(`/clients/${clientId}`));
await page.getByRole('heading', { level: 1, name: `${client.first_names} ${client.last_name}` }).waitFor();
await page.getByTestId('consent-list').waitFor();
await page.getByTestId('history').getByText('Peruskoulu', { exact: false }).first().waitFor();
await page.screenshot({ path: new URL('client.png', out).pathname, fullPage: true });
await page.goto(url(`/periods/${period}`));
await page.getByTestId('diary').locator('article, li, tr').first().waitFor();
await page.getByTestId('assessments').locator('.recharts-surface').first().waitFor();
await page.waitForTimeout(500);
await page.screenshot({ path: new URL('period.png', out).pathname, fullPage: true });
await page.goto(url(`/clients/${clientId}`));
// The page in place first, so the click is the app's navigation.
await page.getByTestId('consent-list').waitFor();
await page.getByRole('link', { name: 'Muokkaa' }).click();
await page.getByLabel('Henkilötunnus').fill('150390-912X');
await page.getByLabel('Tilinumero (IBAN)').fill('FI21 1234 5600 0007 86');
await page.getByRole('heading', { level: 1 }).click();
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: new URL('client-edit.png', out).pathname });
await page.goto(url(`/attendance/${group.id}/${sheetDay}`));
await page.getByTestId('day-sheet').waitFor();
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: new URL('attendance.png', out).pathname, fullPage: true });
await browser.close();
console.log('screenshots written to docs/screenshots/');
