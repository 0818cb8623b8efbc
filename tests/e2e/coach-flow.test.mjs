// The coach's day in a browser, end to end against a real `polku serve --demo`: log in with
// two-factor authentication, come back to where they were, create a client (an invalid then
// a valid identity code), reveal the code, give and withdraw a consent, switch the language to
// Swedish with no untranslated key in sight, log out — with axe on every screen visited. Then the
// coach marks a day's attendance for a group of 20 in one save, and the manager reads the
// month's allowance report.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 POLKU_E2E_DEMO_LOGINS=data/demo-logins.txt npm test

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';
import * as OTPAuth from 'otpauth';
import { chromium } from 'playwright-core';

const baseUrl = process.env.POLKU_E2E_BASE_URL;
const loginsFile = process.env.POLKU_E2E_DEMO_LOGINS;
if (!baseUrl || !loginsFile) {
  throw new Error('Set POLKU_E2E_BASE_URL and POLKU_E2E_DEMO_LOGINS (tests/e2e/run.sh does).');
}
const url = (path) => new URL(path, baseUrl).href;

const locale = (language) =>
  JSON.parse(readFileSync(new URL(`../../frontend/src/locales/${language}.json`, import.meta.url), 'utf8'));
const fi = locale('fi');
const sv = locale('sv');

/** Every dotted key of the resources, with plural suffixes folded: what an untranslated string would show. */
function keyPaths(tree, prefix = '') {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'object' ? keyPaths(value, path) : [path.replace(/_(one|other)$/, '')];
  });
}
const allKeys = [...new Set(keyPaths(fi))];

const coachPassword = readFileSync(loginsFile, 'utf8').match(/coach@demo\.polku\.fi\s+(\S+)/)?.[1];
assert.ok(coachPassword, 'the demo logins name the coach');
const coachEmail = 'coach@demo.polku.fi';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function assertNoAxeViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const report = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `  - ${n.target.join(' ')}\n    ${n.failureSummary}`).join('\n'))
    .join('\n');
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${what} (${page.url()}):\n${report}`);
}

async function assertNoTranslationKeys(page) {
  const text = await page.locator('body').innerText();
  const shown = allKeys.filter((key) => text.includes(key));
  assert.deepEqual(shown, [], 'untranslated keys on the page');
}

/** A valid identity code in the temporary range (900–999), as DVV computes the check character. */
function identityCode(ddmmyy, sign, individual) {
  const check = '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(ddmmyy + individual) % 31];
  return `${ddmmyy}${sign}${individual}${check}`;
}

async function api(path, { token, body, method = body ? 'POST' : 'GET', ifMatch } = {}) {
  const response = await fetch(url(path), {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(ifMatch ? { 'If-Match': ifMatch } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

let browser;
let totp;
let lastUsedStep = -1;

/** A TOTP code of a time step not used before (the server accepts each code once). */
async function freshCode() {
  let step = Math.floor(Date.now() / 30_000);
  while (step <= lastUsedStep) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    step = Math.floor(Date.now() / 30_000);
  }
  lastUsedStep = step;
  return totp.generate();
}

before(async () => {
  // The coach turns on two-factor authentication through the API (as from the settings).
  const login = await api('/api/v1/auth/login', { body: { email: coachEmail, password: coachPassword } });
  assert.equal(login.status, 'authenticated');
  const setup = await api('/api/v1/auth/mfa/setup', { token: login.access_token, body: {} });
  totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret), digits: 6, period: 30, algorithm: 'SHA1' });
  await api('/api/v1/auth/mfa/confirm', { token: login.access_token, body: { code: await freshCode() } });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

describe('a coach in the web app', () => {
  test('logs in with 2FA, creates a client, gives and withdraws a consent, opens a period with a goal, a diary entry and a final statement, works in Swedish', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });

    try {
      // A deep link without a session lands on the login page, which remembers where to return.
      await page.goto(url('/clients'));
      await page.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();
      assert.match(page.url(), /\/login\?redirect=%2Fclients/);
      await assertNoAxeViolations(page, 'the login page');

      await page.getByLabel(fi.auth.login.email).fill(coachEmail);
      await page.getByLabel(fi.auth.login.password).fill('wrong password 123');
      await page.getByRole('button', { name: fi.auth.login.submit }).click();
      await page.getByText(fi.auth.errors.wrongPassword).waitFor();

      await page.getByLabel(fi.auth.login.password).fill(coachPassword);
      await page.getByRole('button', { name: fi.auth.login.submit }).click();

      // The second step.
      await page.getByRole('heading', { name: fi.auth.mfa.heading }).waitFor();
      await assertNoAxeViolations(page, 'the 2FA step');
      await page.getByLabel(fi.auth.mfa.code).fill(await freshCode());
      await page.getByRole('button', { name: fi.auth.mfa.submit }).click();

      // Back where the user was going.
      await page.getByRole('heading', { level: 1, name: fi.clients.title }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/clients');
      // The demo's clients of the coach's unit are listed.
      await page.getByRole('table', { name: fi.clients.search.results }).waitFor();
      await assertNoAxeViolations(page, 'the client list');

      // The access token lives in memory only.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.doesNotMatch(stored, /eyJ/, 'no token in web storage');

      // A new client: the identity code is checked as it is typed.
      await page.getByRole('link', { name: fi.clients.new }).click();
      await page.getByRole('heading', { level: 1, name: fi.clients.newTitle }).waitFor();
      await page.getByLabel(fi.clients.fields.last_name).fill('Mäkinen');
      await page.getByLabel(fi.clients.fields.first_names).fill('Aino Maria');
      const good = identityCode('150390', '-', '912');
      const bad = good.slice(0, 10) + (good.endsWith('A') ? 'B' : 'A');
      await page.getByLabel(fi.clients.fields.personal_identity_code).fill(bad);
      await page.getByText(fi.errors.fields.personal_identity_code.check_character).waitFor();
      assert.equal(await page.getByLabel(fi.clients.fields.personal_identity_code).getAttribute('aria-invalid'), 'true');
      await page.getByLabel(fi.clients.fields.iban).fill('FI21 1234 5600 0007 86');
      await page.getByText(fi.errors.fields.iban.checksum).waitFor();
      await assertNoAxeViolations(page, 'the client form with errors');

      await page.getByLabel(fi.clients.fields.personal_identity_code).fill(good);
      await page.getByLabel(fi.clients.fields.iban).fill('FI21 1234 5600 0007 85');
      await page.getByText(fi.errors.fields.personal_identity_code.check_character).waitFor({ state: 'detached' });
      await page.getByLabel(fi.clients.fields.phone).fill('040 123 4567');
      await page.getByRole('button', { name: fi.clients.create }).click();

      // The client's page: masked code, a warning for the missing processing consent.
      await page.getByRole('heading', { level: 1, name: 'Aino Maria Mäkinen' }).waitFor();
      await page.getByTestId('missing-consent').waitFor();
      const masked = await page.getByTestId('personal_identity_code-value').innerText();
      assert.ok(masked.includes('*') && !masked.includes(good.slice(7)), `masked: ${masked}`);
      await page.getByText(fi.clients.reveal.logged).first().waitFor();
      await assertNoAxeViolations(page, 'the client page');

      await page.getByRole('button', { name: fi.clients.reveal.buttonFor.replace('{{field}}', fi.clients.fields.personal_identity_code) }).click();
      await page.getByTestId('personal_identity_code-value').getByText(good).waitFor();

      // Give a processing consent; the warning goes.
      await page.getByRole('button', { name: fi.consents.give.open }).click();
      const form = page.getByRole('form', { name: fi.consents.give.title });
      await form.getByLabel(fi.consents.fields.kind, { exact: true }).selectOption('processing');
      await form.getByRole('radio', { name: fi.consents.givenHow.written }).check();
      await form.getByRole('button', { name: fi.consents.give.submit }).click();
      const list = page.getByTestId('consent-list').locator('tbody');
      await list.getByText(fi.consents.status.active, { exact: true }).waitFor();
      await page.getByTestId('missing-consent').waitFor({ state: 'detached' });
      await assertNoAxeViolations(page, 'the client page with a consent');

      // Withdraw it, in one action with a confirmation.
      await list.getByRole('button', { name: fi.consents.withdraw.buttonFor.replace('{{kind}}', fi.consents.kinds.processing) }).click();
      const dialog = page.getByRole('dialog', { name: fi.consents.withdraw.title });
      await dialog.waitFor();
      await assertNoAxeViolations(page, 'the withdrawal confirmation');
      await dialog.getByRole('button', { name: fi.consents.withdraw.confirm }).click();
      await list.getByText(fi.consents.status.withdrawn, { exact: true }).waitFor();
      await page.getByTestId('missing-consent').waitFor();

      // The consent history.
      await page.getByRole('button', { name: fi.consents.timeline.show }).click();
      await page.getByTestId('consent-timeline').getByText(fi.consents.events.withdrawn, { exact: false }).first().waitFor();

      // Open a period (a KTT schedule of 5 days a week is saved, with the rule warning inline).
      await page.getByRole('button', { name: fi.periods.open.button }).click();
      const periodForm = page.getByRole('form', { name: fi.periods.open.title });
      await periodForm.getByRole('checkbox', { name: fi.periods.weekdays['2'], exact: true }).check();
      await periodForm.getByRole('checkbox', { name: fi.periods.weekdays['4'], exact: true }).check();
      await periodForm.getByRole('button', { name: fi.periods.open.submit }).click();
      await page.getByTestId('rule-warnings').getByText(fi.periods.warnings.ktt_days_per_week).waitFor();
      await assertNoAxeViolations(page, 'the client page with a new period');
      await page.getByTestId('periods').getByRole('link').first().click();

      // The period: a goal, a diary entry saved with Ctrl+Enter.
      await page.getByRole('heading', { level: 2, name: fi.periods.goals.title }).waitFor();
      await page.getByLabel(fi.periods.goals.newTitle).fill('Säännöllinen päivärytmi');
      await page.getByRole('form', { name: fi.periods.goals.add }).getByRole('button', { name: fi.periods.goals.add }).click();
      await page.getByTestId('goals').getByText('Säännöllinen päivärytmi').waitFor();
      const diary = page.getByLabel(fi.periods.diary.new, { exact: false }).and(page.locator('textarea'));
      await diary.fill('Aino saapui ajoissa ja työskenteli puutyöpajassa.');
      await diary.press('Control+Enter');
      await page.getByTestId('diary').getByText('Aino saapui ajoissa', { exact: false }).waitFor();
      for (let tries = 0; (await diary.inputValue()) !== '' && tries < 50; tries += 1) await page.waitForTimeout(100);
      assert.equal(await diary.inputValue(), '', 'the quick entry is cleared once saved');
      await assertNoAxeViolations(page, 'the period page');

      // An activity agreement: a draft, signed after a confirmation, then its print view.
      const agreements = page.getByTestId('agreements');
      await agreements.getByRole('button', { name: fi.periods.agreements.new }).click();
      const agreementForm = page.getByRole('form', { name: fi.periods.agreements.new });
      await agreementForm.getByLabel(fi.periods.agreements.fields.workplace).fill('Kierrätyskeskus Kiertokapula');
      await agreementForm.getByLabel(fi.periods.agreements.fields.tasks).fill('Huonekalujen kunnostus');
      await assertNoAxeViolations(page, 'the agreement form');
      await agreementForm.getByRole('button', { name: fi.periods.agreements.create }).click();
      const draftAgreement = agreements.getByTestId('agreement-draft');
      await draftAgreement.getByText('Kierrätyskeskus Kiertokapula').waitFor();
      await draftAgreement.getByRole('button', { name: fi.periods.agreements.sign }).click();
      const signDialog = page.getByRole('dialog', { name: fi.periods.agreements.signTitle });
      await signDialog.waitFor();
      await assertNoAxeViolations(page, 'the signing confirmation');
      await signDialog.getByRole('button', { name: fi.periods.agreements.signConfirm }).click();
      const signedAgreement = agreements.getByTestId('agreement-signed');
      await signedAgreement.waitFor();
      const [agreementPrint] = await Promise.all([
        context.waitForEvent('page'),
        signedAgreement.getByRole('button', { name: fi.periods.agreements.print }).click(),
      ]);
      await agreementPrint.waitForFunction(() => document.body?.innerText.includes('Kierrätyskeskus Kiertokapula'), null, { timeout: 15_000 });
      await agreementPrint.close();

      // An assessment on the first instrument: a score for every criterion, then the scores over time.
      const assessments = page.getByTestId('assessments');
      await assessments.getByRole('button', { name: fi.periods.assessments.new }).click();
      const assessmentForm = page.getByRole('form', { name: fi.periods.assessments.new });
      const criteria = assessmentForm.locator('select[required]');
      assert.ok((await criteria.count()) > 0, 'the instrument has criteria');
      for (const criterion of await criteria.all()) await criterion.selectOption({ index: 2 });
      await assessmentForm.getByRole('button', { name: fi.periods.assessments.save }).click();
      await assessments.getByTestId('assessment-scores').waitFor();
      await assessments.locator('.recharts-surface').first().waitFor();
      await assertNoAxeViolations(page, 'the period page with an assessment chart');

      // The final statement: a draft, finalised after a confirmation, then its print view.
      await page.getByLabel(fi.periods.reports.kind).selectOption('final');
      await page.getByRole('button', { name: fi.periods.reports.create }).click();
      const report = page.getByTestId('report-final');
      await report.getByLabel(fi.periods.reports.sections.recommendation).fill('Jatko ammatilliseen koulutukseen.');
      await report.getByRole('button', { name: fi.periods.reports.finalise, exact: true }).click();
      const confirm = page.getByRole('dialog', { name: fi.periods.reports.confirmTitle });
      await assertNoAxeViolations(page, 'the finalise confirmation');
      await confirm.getByRole('button', { name: fi.periods.reports.finaliseConfirm }).click();
      await report.getByText(fi.periods.reports.states.final, { exact: true }).waitFor();
      await report.getByText('Jatko ammatilliseen koulutukseen.').waitFor();
      const [printView] = await Promise.all([
        context.waitForEvent('page'),
        report.getByRole('button', { name: fi.periods.reports.print }).click(),
      ]);
      await printView.waitForFunction(() => document.body?.innerText.includes('Jatko ammatilliseen koulutukseen.'), null, { timeout: 15_000 });
      await printView.close();
      await page.getByRole('link', { name: fi.periods.backToClient }).click();
      await page.getByRole('heading', { level: 1, name: 'Aino Maria Mäkinen' }).waitFor();

      // Search as you type finds the new client by name and by identity code.
      await page.getByRole('navigation').getByRole('link', { name: fi.nav.clients }).click();
      await page.getByLabel(fi.clients.search.label).fill('makin');
      await page.getByTestId('client-results').getByRole('link', { name: 'Mäkinen, Aino Maria' }).waitFor();
      await page.getByLabel(fi.clients.search.label).fill(good);
      await page.getByTestId('client-results').getByRole('link', { name: 'Mäkinen, Aino Maria' }).waitFor();

      // Home.
      await page.getByRole('navigation').getByRole('link', { name: fi.nav.home }).click();
      await page.getByRole('heading', { level: 1, name: fi.home.title }).waitFor();
      await page.getByTestId('without-consent').getByRole('link', { name: /Mäkinen/ }).waitFor();
      await assertNoAxeViolations(page, 'the home page');

      // Swedish: every string of the screens translated.
      await page.getByRole('combobox', { name: fi.language.label }).selectOption('sv');
      await page.getByRole('heading', { level: 1, name: sv.home.title }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
      await assertNoTranslationKeys(page);
      await page.getByTestId('without-consent').getByRole('link', { name: /Mäkinen/ }).click();
      await page.getByRole('heading', { level: 2, name: sv.consents.title }).waitFor();
      await page.getByTestId('consent-list').locator('tbody').getByText(sv.consents.status.withdrawn, { exact: true }).waitFor();
      await assertNoTranslationKeys(page);
      await assertNoAxeViolations(page, 'the client page in Swedish');
      await page.getByRole('combobox', { name: sv.language.label }).selectOption('fi');

      // A reload keeps the session (refresh cookie), then logging out ends it.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Aino Maria Mäkinen' }).waitFor();
      await page.getByRole('button', { name: fi.auth.logout }).click();
      await page.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();
      await page.goto(url('/'));
      await page.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();

      assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
    } catch (error) {
      // What the browser showed when it failed, for the log reader.
      if (process.env.E2E_FAILURE_SCREENSHOT) await page.screenshot({ path: process.env.E2E_FAILURE_SCREENSHOT, fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});

/** The coach's access token through the API, with the second factor. */
async function coachToken() {
  const login = await api('/api/v1/auth/login', { body: { email: coachEmail, password: coachPassword } });
  if (login.status === 'authenticated') return login.access_token;
  assert.equal(login.status, 'mfa_required');
  const session = await api('/api/v1/auth/login/mfa', { body: { mfa_token: login.mfa_token, code: await freshCode() } });
  return session.access_token;
}

const helsinkiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());
const shiftDay = (isoDate, days) => {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

async function signIn(page, email, password, code) {
  await page.goto(url('/login'));
  await page.getByLabel(fi.auth.login.email).fill(email);
  await page.getByLabel(fi.auth.login.password).fill(password);
  await page.getByRole('button', { name: fi.auth.login.submit }).click();
  if (code) {
    await page.getByRole('heading', { name: fi.auth.mfa.heading }).waitFor();
    await page.getByLabel(fi.auth.mfa.code).fill(await code());
    await page.getByRole('button', { name: fi.auth.mfa.submit }).click();
  }
  await page.getByRole('heading', { level: 1, name: fi.home.title }).waitFor();
}

const firstNames = [
  'Aada', 'Eero', 'Helmi', 'Ilmari', 'Kerttu', 'Lauri', 'Minea', 'Niilo', 'Oona', 'Paavo',
  'Riikka', 'Sampo', 'Tuuli', 'Urho', 'Venla', 'Väinö', 'Yrjö', 'Ahti', 'Elli', 'Onni',
];

describe('attendance in the web app', () => {
  test('a coach marks a day for a group of 20 in one save; the manager reads the allowance report', { timeout: 240_000 }, async () => {
    // Twenty clients with ongoing KTT periods in the coach's unit, every weekday planned.
    const token = await coachToken();
    const me = await api('/api/v1/auth/me', { token });
    const unit = me.unit_ids[0];
    const today = helsinkiToday();
    const periods = [];
    for (const [index, first_names] of firstNames.entries()) {
      const birth_date = `1990-03-${String(index + 1).padStart(2, '0')}`;
      const client = await api('/api/v1/clients', { token, body: { unit_id: unit, last_name: 'Ryhmäläinen', first_names, birth_date } });
      const period = await api(`/api/v1/clients/${client.id}/periods`, {
        token,
        body: {
          service_type: 'ktt', unit_id: unit, starts_on: shiftDay(today, -21), planned_end_on: shiftDay(today, 150),
          coach_id: me.id, days_per_week: 7, hours_per_day: 4, weekdays: [1, 2, 3, 4, 5, 6, 7], mode: 'group',
        },
      });
      periods.push({ client, period });
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const puts = [];
    let day;
    // The answer to a day's PUT holds the rows sent (the request's body is a stream the browser does not expose).
    page.on('response', (response) => {
      if (response.request().method() === 'PUT' && response.url().includes('/api/v1/attendance/')) puts.push(response.json());
    });

    try {
      await signIn(page, coachEmail, coachPassword, freshCode);

      // The group, set up in the UI from the unit's ongoing periods.
      await page.getByRole('navigation').getByRole('link', { name: fi.nav.attendance }).click();
      await page.getByRole('heading', { level: 1, name: fi.attendance.title }).waitFor();
      await page.getByRole('button', { name: fi.attendance.groups.new }).click();
      const form = page.getByRole('form', { name: fi.attendance.groups.new });
      await form.getByLabel(fi.attendance.groups.name).fill('Puutyöpaja');
      await form.getByLabel(fi.attendance.groups.filterPeople).fill('Ryhmäläinen');
      await form.getByLabel(fi.attendance.groups.chooseAll_other.replace('{{count}}', '20')).check();
      await form.getByText(fi.attendance.groups.chosen_other.replace('{{count}}', '20')).waitFor();
      await assertNoAxeViolations(page, 'the attendance page with the new group form');
      await form.getByRole('button', { name: fi.attendance.groups.create }).click();

      // The group's day sheet opens on today; a public holiday has nobody planned, so then the day before.
      await page.getByRole('heading', { level: 1, name: 'Puutyöpaja' }).waitFor();
      const groupId = new URL(page.url()).pathname.split('/')[2];
      day = today;
      while ((await api(`/api/v1/attendance/${groupId}/${day}`, { token })).holiday) day = shiftDay(day, -1);
      if (day !== today) await page.goto(url(`/attendance/${groupId}/${day}`));
      const rows = page.getByTestId('sheet-row');
      await page.getByTestId('day-sheet').waitFor();
      assert.equal(await rows.count(), 20);
      await assertNoAxeViolations(page, 'the day sheet');

      // Everyone present in one click, then Eero absent, ill.
      await page.getByRole('button', { name: fi.attendance.sheet.allPresent_other.replace('{{count}}', '20') }).click();
      assert.equal(await page.locator('[data-testid="sheet-row"][data-status="present"]').count(), 20);
      await page.getByRole('button', { name: `${fi.attendance.status.absent}: Ryhmäläinen, Eero` }).click();
      await page.getByLabel(`${fi.attendance.sheet.columns.reason}: Ryhmäläinen, Eero`).selectOption('sick');
      // And Helmi by keys: her row, then 2 (an agreed absence).
      await page.getByRole('row', { name: 'Ryhmäläinen, Helmi' }).focus();
      await page.keyboard.press('2');
      await page.getByText(fi.attendance.sheet.unsaved_other.replace('{{count}}', '20')).waitFor();
      await assertNoAxeViolations(page, 'the day sheet being marked');

      // Leaving with unsaved marks asks first.
      await page.getByRole('link', { name: `← ${fi.attendance.sheet.previousDay}` }).click();
      const leave = page.getByRole('dialog', { name: fi.attendance.sheet.leaveTitle });
      await leave.waitFor();
      await assertNoAxeViolations(page, 'the unsaved-changes question');
      await leave.getByRole('button', { name: fi.attendance.sheet.stay }).click();

      await page.getByRole('button', { name: fi.attendance.sheet.save }).click();
      await page.getByTestId('sheet-saved').waitFor();
      assert.equal(puts.length, 1, 'the whole day in one request');
      const saved = await puts[0];
      assert.equal(saved.rows.length, 20);
      assert.equal(saved.changed, 20);

      // After a reload the sheet shows what was stored, and so does the API.
      await page.reload();
      await page.getByTestId('day-sheet').waitFor();
      assert.equal(await page.locator('[data-testid="sheet-row"][data-status="present"]').count(), 18);
      assert.equal(await page.locator('[data-testid="sheet-row"][data-status="absent"]').count(), 2);
      const stored = await api(`/api/v1/attendance/${groupId}/${day}`, { token });
      assert.equal(stored.rows.length, 20);
      const byName = Object.fromEntries(stored.rows.map((row) => [row.first_names, row.record]));
      assert.deepEqual(
        { status: byName.Eero?.status, reason: byName.Eero?.absence_reason },
        { status: 'absent', reason: 'sick' },
      );
      assert.deepEqual(
        { status: byName.Helmi?.status, reason: byName.Helmi?.absence_reason },
        { status: 'absent', reason: 'authorised' },
      );
      const present = stored.rows.filter((row) => row.record?.status === 'present');
      assert.equal(present.length, 18);
      assert.ok(present.every((row) => row.record.hours === 4), 'present with the planned 4 hours');

      // Eero's month on his page: the absence, with the month's regularity.
      const eero = periods.find(({ client }) => client.first_names === 'Eero');
      await page.goto(url(`/clients/${eero.client.id}`));
      const month = page.getByTestId('attendance-month');
      await month.getByTestId(`day-${day}`).getByText(`${fi.attendance.status.absent}: ${fi.attendance.reasons.sick}`).waitFor();
      await month.getByTestId('regularity').waitFor();
      await assertNoAxeViolations(page, 'the client page with its attendance month');

      // The group's page, and home linking to today's sheets.
      await page.goto(url(`/attendance/groups/${groupId}`));
      await page.getByTestId('group-members').getByRole('link', { name: 'Ryhmäläinen, Eero' }).waitFor();
      await assertNoAxeViolations(page, 'the group page');
      await page.getByRole('navigation').getByRole('link', { name: fi.nav.home }).click();
      await page.getByTestId('attendance-today').getByRole('link', { name: fi.home.attendance.mark.replace('{{name}}', 'Puutyöpaja') }).waitFor();
      // A coach has no allowance report in the navigation.
      assert.equal(await page.getByRole('navigation').getByRole('link', { name: fi.nav.allowances }).count(), 0);
      assert.deepEqual(pageErrors, [], 'no script errors');
    } catch (error) {
      if (process.env.E2E_FAILURE_SCREENSHOT) await page.screenshot({ path: process.env.E2E_FAILURE_SCREENSHOT, fullPage: true });
      throw error;
    } finally {
      await context.close();
    }

    // The manager's allowance report for the month: 18 present days, downloadable as CSV.
    const managerPassword = readFileSync(loginsFile, 'utf8').match(/manager@demo\.polku\.fi\s+(\S+)/)?.[1];
    assert.ok(managerPassword, 'the demo logins name the manager');
    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const manager = await managerContext.newPage();
    manager.setDefaultTimeout(15_000);
    try {
      await signIn(manager, 'manager@demo.polku.fi', managerPassword);
      await manager.getByRole('navigation').getByRole('link', { name: fi.nav.allowances }).click();
      await manager.getByRole('heading', { level: 1, name: fi.allowances.title }).waitFor();
      // The report opens on this month; the day marked may be the last of the previous one.
      if (day.slice(0, 7) !== helsinkiToday().slice(0, 7)) {
        await manager.getByRole('group', { name: fi.allowances.month }).getByRole('button', { name: `← ${fi.attendance.calendar.previous}` }).click();
      }
      const report = manager.getByTestId('allowances');
      await report.getByRole('rowheader', { name: 'Ryhmäläinen, Aada' }).waitFor();
      assert.ok((await report.getByRole('rowheader', { name: /^Ryhmäläinen, / }).count()) >= 18);
      await assertNoAxeViolations(manager, 'the allowance report');
      const [download] = await Promise.all([
        manager.waitForEvent('download'),
        manager.getByRole('button', { name: fi.allowances.downloadCsv }).click(),
      ]);
      const csv = readFileSync(await download.path(), 'utf8');
      assert.match(csv, /Ryhmäläinen/);
    } finally {
      await managerContext.close();
    }
  });
});
