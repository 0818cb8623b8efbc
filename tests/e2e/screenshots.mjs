// Screenshots of the web app in Finnish for docs/screenshots/, taken against a running
// `polku serve --demo` whose demo organisation has no clients yet: the script adds a few
// through the API as the demo coach (no 2FA) and photographs the home, client list,
// client, period and attendance day sheet screens.
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

const code = (ddmmyy, individual) => `${ddmmyy}-${individual}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(ddmmyy + individual) % 31]}`;
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const { access_token: token } = await api('/api/v1/auth/login', null, { email: 'coach@demo.polku.fi', password });
const me = await api('/api/v1/auth/me', token);
const unit = me.unit_ids[0];
const people = [
  ['Mäkinen', 'Aino Maria', code('150390', '912'), '040 123 4567'],
  ['Öberg', 'Erik', code('021185', '934'), '050 765 4321'],
  ['Virtanen', 'Jussi Pekka', code('300701', '956'), '044 555 1212'],
  ['Nieminen', 'Sofia', code('110999', '978'), null],
];
const clients = [];
for (const [last_name, first_names, personal_identity_code, phone] of people) {
  clients.push(
    await api('/api/v1/clients', token, {
      unit_id: unit, last_name, first_names, personal_identity_code, phone,
      iban: 'FI21 1234 5600 0007 85', language: 'fi', referrer: 'employment_services', education_level: 'vocational',
      street_address: 'Kauppakatu 5 B 12', postal_code: '40100', post_office: 'Jyväskylä', home_municipality: 'Jyväskylä',
    }),
  );
}
const [aino, erik, jussi] = clients;
await api(`/api/v1/clients/${aino.id}/consents`, token, { kind: 'processing', given_how: 'written', recipient_is_category: false, data_categories: [] });
await api(`/api/v1/clients/${aino.id}/consents`, token, {
  kind: 'disclosure', given_how: 'verbal', witness: 'Demo Ohjaaja', recipient: 'Kela', recipient_is_category: false,
  data_categories: ['contact_details', 'periods', 'attendance'], valid_until: new Date(Date.now() + 20 * 86_400_000).toISOString(),
});
await api(`/api/v1/clients/${erik.id}/consents`, token, { kind: 'processing', given_how: 'electronic', recipient_is_category: false, data_categories: [] });
await api(`/api/v1/clients/${aino.id}/history`, token, { kind: 'education', starts_on: '2006-08-15', ends_on: '2009-05-31', description: 'Merkonomi, Jyväskylän ammattiopisto' });
await api(`/api/v1/clients/${aino.id}/history`, token, { kind: 'work', starts_on: '2010-01-01', ends_on: '2019-12-31', occupation: 'Myyjä', description: 'Päivittäistavarakauppa' });
const periods = [];
for (const [client, start, end] of [[aino, -80, 10], [erik, -200, 100], [jussi, -30, 150]]) {
  periods.push(await api(`/api/v1/clients/${client.id}/periods`, token, {
    service_type: 'ktt', unit_id: unit, starts_on: day(start), planned_end_on: day(end), coach_id: me.id,
    days_per_week: 3, hours_per_day: 4, weekdays: [1, 3, 5], mode: 'group',
  }));
}
// A workshop group of ten for the day sheet: the three above and seven more.
const more = [
  ['Laine', 'Henna'], ['Korhonen', 'Matti'], ['Lindqvist', 'Sara'], ['Heikkinen', 'Antti'],
  ['Koskinen', 'Emilia'], ['Järvinen', 'Oskari'], ['Lehtonen', 'Noora'],
];
for (const [index, [last_name, first_names]] of more.entries()) {
  const client = await api('/api/v1/clients', token, { unit_id: unit, last_name, first_names, birth_date: `198${index}-0${index + 1}-1${index}` });
  periods.push(await api(`/api/v1/clients/${client.id}/periods`, token, {
    service_type: 'ktt', unit_id: unit, starts_on: day(-40 - index), planned_end_on: day(120), coach_id: me.id,
    days_per_week: 3, hours_per_day: index === 2 ? 5 : 4, weekdays: [1, 3, 5], mode: 'group',
  }));
}
const group = await api('/api/v1/attendance-groups', token, { unit_id: unit, name: 'Puutyöpaja', period_ids: periods.map((p) => p.id) });
// The sheet of the latest planned workshop day (Monday, Wednesday or Friday, not a holiday), mostly marked.
let sheetDay = day(0);
for (;;) {
  const weekday = new Date(`${sheetDay}T00:00:00Z`).getUTCDay();
  const sheet = await api(`/api/v1/attendance/${group.id}/${sheetDay}`, token);
  if ([1, 3, 5].includes(weekday) && !sheet.holiday) break;
  sheetDay = new Date(new Date(`${sheetDay}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
}
const sheet = await api(`/api/v1/attendance/${group.id}/${sheetDay}`, token);
const marks = sheet.rows.slice(0, 7).map((row, index) =>
  index === 2
    ? { period_id: row.period_id, status: 'absent', absence_reason: 'sick', note: 'Soitti aamulla' }
    : { period_id: row.period_id, status: 'present', hours: index === 4 ? 8.5 : row.planned_hours },
);
await api(`/api/v1/attendance/${group.id}/${sheetDay}`, token, { entries: marks }, 'PUT');

const period = periods[0].id;
await api(`/api/v1/periods/${period}/goals`, token, { title: 'Säännöllinen päivärytmi', status: 'in_progress' });
await api(`/api/v1/periods/${period}/goals`, token, { title: 'Trukkikortti', status: 'open', description: 'Kurssi keväällä' });
const [instrument] = await api('/api/v1/assessment-instruments', token);
for (const [offset, base] of [[-60, 1], [-30, 2], [-2, 3]]) {
  await api(`/api/v1/periods/${period}/assessments`, token, {
    instrument_id: instrument.id, assessed_on: day(offset), assessor: 'coach',
    scores: instrument.criteria.map((criterion, index) => ({
      criterion_id: criterion.id,
      score: Math.min(criterion.scale_max, Math.max(criterion.scale_min, criterion.scale_min + base + (index % 2))),
    })),
  });
}
await api(`/api/v1/periods/${period}/agreements`, token, {
  kind: 'activity', workplace: 'Kierrätyskeskus', place: 'Puutyöpaja', tasks: 'Huonekalujen kunnostus', schedule: 'ma, ke, pe 8–12',
  starts_on: day(-80), ends_on: day(10),
});
await api(`/api/v1/periods/${period}/diary`, token, { body: 'Aino saapui ajoissa ja työskenteli puutyöpajassa koko päivän. Hyvä keskittyminen.', entry_date: day(-2), sensitive: false });
await api(`/api/v1/periods/${period}/diary`, token, { body: 'Keskusteltiin jatkosuunnitelmista: kiinnostus logistiikka-alan koulutukseen.', entry_date: day(0), sensitive: false });

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
await page.getByRole('link', { name: 'Mäkinen, Aino Maria' }).click();
await page.getByTestId('consent-list').waitFor();
await page.getByTestId('history').getByText('Merkonomi', { exact: false }).waitFor();
await page.screenshot({ path: new URL('client.png', out).pathname, fullPage: true });
await page.goto(url(`/periods/${period}`));
await page.getByTestId('diary').getByText('Aino saapui ajoissa', { exact: false }).waitFor();
await page.getByTestId('reports').getByTestId('empty').waitFor();
await page.getByTestId('assessments').locator('.recharts-line').first().waitFor();
await page.screenshot({ path: new URL('period.png', out).pathname, fullPage: true });
await page.goto(url(`/clients/${aino.id}`));
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
// One more marked by key (unsaved: the save bar counts it).
await page.getByTestId('sheet-row').nth(7).focus();
await page.keyboard.press('p');
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: new URL('attendance.png', out).pathname, fullPage: true });
await browser.close();
console.log('screenshots written to docs/screenshots/');
