// A coach's actions on a period, end to end against a real `polku serve --demo`: the schedule
// edited with the KTT rule warning shown live and then saved, a goal's status changed with a
// follow-up note, the period ended with an outcome that then shows on the client's page — with
// axe on every screen visited. The coach is a new account of this test's own (made through the
// admin API), so the test does not depend on the other files' changes to the demo coach.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 POLKU_E2E_DEMO_LOGINS=data/demo-logins.txt node --test period-actions.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const baseUrl = process.env.POLKU_E2E_BASE_URL;
const loginsFile = process.env.POLKU_E2E_DEMO_LOGINS;
if (!baseUrl || !loginsFile) {
  throw new Error('Set POLKU_E2E_BASE_URL and POLKU_E2E_DEMO_LOGINS (tests/e2e/run.sh does).');
}
const url = (path) => new URL(path, baseUrl).href;
const fi = JSON.parse(readFileSync(new URL('../../frontend/src/locales/fi.json', import.meta.url), 'utf8'));

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function assertNoAxeViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const report = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `  - ${n.target.join(' ')}\n    ${n.failureSummary}`).join('\n'))
    .join('\n');
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${what} (${page.url()}):\n${report}`);
}

async function api(path, { token, body, method = body ? 'POST' : 'GET' } = {}) {
  const response = await fetch(url(path), {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const helsinkiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());
const shiftDay = (isoDate, days) => {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
const finnishDate = (isoDate) => {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}.${month}.${year}`;
};

const coachEmail = `period.coach.${Date.now()}@demo.polku.fi`;
const coachPassword = 'Jaksot-päättyvät-hyvin-2026';
let browser;
let clientId;
let periodId;

before(async () => {
  // The admin makes a coach in the first unit; the coach sets a password through the invitation.
  const adminPassword = readFileSync(loginsFile, 'utf8').match(/admin@demo\.polku\.fi\s+(\S+)/)?.[1];
  assert.ok(adminPassword, 'the demo logins name the admin');
  const admin = await api('/api/v1/auth/login', { body: { email: 'admin@demo.polku.fi', password: adminPassword } });
  assert.equal(admin.status, 'authenticated');
  const units = await api('/api/v1/units?limit=200', { token: admin.access_token });
  const unit = units.items[0];
  assert.ok(unit, 'the demo organisation has a unit');
  const created = await api('/api/v1/admin/users', {
    token: admin.access_token,
    body: { email: coachEmail, display_name: 'Jaana Jaksonen', roles: ['coach'], unit_ids: [unit.id] },
  });
  const link = new URL(created.invitation.url);
  const token = link.searchParams.get('token') ?? new URLSearchParams(link.hash.slice(1)).get('token');
  assert.ok(token, `the invitation carries a token: ${created.invitation.url}`);
  await api('/api/v1/auth/password/set', { body: { token, new_password: coachPassword } });

  // The coach's client, with a KTT period within the rules (two days a week, four hours) and a goal.
  const login = await api('/api/v1/auth/login', { body: { email: coachEmail, password: coachPassword } });
  assert.equal(login.status, 'authenticated');
  const me = await api('/api/v1/auth/me', { token: login.access_token });
  const today = helsinkiToday();
  const client = await api('/api/v1/clients', {
    token: login.access_token,
    body: { unit_id: unit.id, last_name: 'Jaksola', first_names: 'Pertti', birth_date: '1988-05-17' },
  });
  clientId = client.id;
  const period = await api(`/api/v1/clients/${client.id}/periods`, {
    token: login.access_token,
    body: {
      service_type: 'ktt', unit_id: unit.id, starts_on: shiftDay(today, -120), planned_end_on: shiftDay(today, 60),
      coach_id: me.id, days_per_week: 2, hours_per_day: 4, weekdays: [1, 3], mode: 'individual',
    },
  });
  assert.deepEqual(period.warnings, [], 'the period starts within the rules');
  periodId = period.id;
  await api(`/api/v1/periods/${period.id}/goals`, { token: login.access_token, body: { title: 'Säännöllinen päivärytmi', status: 'in_progress' } });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

describe('a coach’s period actions in the web app', () => {
  test('edits the schedule and sees the KTT warning, changes a goal’s status with a follow-up, ends the period with an outcome seen on the client page', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    try {
      await page.goto(url(`/periods/${periodId}`));
      await page.getByLabel(fi.auth.login.email).fill(coachEmail);
      await page.getByLabel(fi.auth.login.password).fill(coachPassword);
      await page.getByRole('button', { name: fi.auth.login.submit }).click();

      // The period: ongoing, within the rules.
      await page.getByRole('heading', { level: 2, name: fi.periods.goals.title }).waitFor();
      await page.getByTestId('period-state').getByText(fi.periodActions.state.ongoing).waitFor();
      assert.equal(await page.getByTestId('rule-warnings').count(), 0, 'no warnings before the edit');
      await assertNoAxeViolations(page, 'the period page');
      // The month's planned days (Mondays and Wednesdays), which the new schedule changes.
      const plannedDays = page.locator('[data-testid="attendance-month"] [data-planned]');
      await plannedDays.first().waitFor();
      const plannedBefore = await plannedDays.count();

      // Edit the schedule: five weekdays break the Act's four, said while choosing.
      await page.getByRole('button', { name: fi.periodActions.edit.button }).click();
      const form = page.getByRole('form', { name: fi.periodActions.edit.title });
      await form.waitFor();
      await assertNoAxeViolations(page, 'the period edit form');
      for (const day of ['2', '4', '5']) await form.getByRole('checkbox', { name: fi.periods.weekdays[day], exact: true }).check();
      const live = form.getByTestId('live-warnings');
      await live.getByText(fi.periods.warnings.ktt_days_per_week).waitFor();
      await form.getByLabel(fi.periodActions.fields.workplace).fill('Kierrätyskeskus');
      await form.getByLabel(fi.periodActions.edit.reason).fill('Asiakkaan toiveesta viisi päivää.');
      await assertNoAxeViolations(page, 'the period edit form with a KTT warning');
      await form.getByRole('button', { name: fi.periodActions.edit.submit }).click();
      await form.waitFor({ state: 'detached' });
      // Saved: the server's own warning on the period.
      await page.getByTestId('rule-warnings').getByText(fi.periods.warnings.ktt_days_per_week).waitFor();
      await page.getByText(fi.periods.schedule.replace('{{days}}', '5').replace('{{hours}}', '4')).waitFor();
      // The attendance calendar follows the new schedule without a reload.
      await page.waitForFunction(
        (before) => document.querySelectorAll('[data-testid="attendance-month"] [data-planned]').length > before,
        plannedBefore,
      );

      // A goal's status changed with a follow-up note, then seen in its history.
      const goal = page.getByTestId('goal').filter({ hasText: 'Säännöllinen päivärytmi' });
      const update = fi.periodActions.goals.updateFor.replace('{{title}}', 'Säännöllinen päivärytmi');
      await goal.getByRole('button', { name: update }).click();
      const goalForm = goal.getByRole('form', { name: update });
      await goalForm.waitFor();
      await goalForm.getByLabel(fi.periods.goals.status).selectOption('achieved');
      await goalForm.getByLabel(fi.periodActions.goals.followUp).fill('Saapuu ajoissa joka päivä.');
      await assertNoAxeViolations(page, 'the goal update form');
      await goalForm.getByRole('button', { name: fi.periodActions.goals.save }).click();
      await goalForm.waitFor({ state: 'detached' });
      await goal.getByTestId('follow-ups').getByText('Saapuu ajoissa joka päivä.').waitFor();
      await goal.getByText(fi.periods.goals.statuses.achieved, { exact: true }).waitFor();
      await assertNoAxeViolations(page, 'the period page with a follow-up');

      // End the period: education, vocational, with a closing note.
      await page.getByRole('button', { name: fi.periodActions.close.button }).click();
      const dialog = page.getByRole('dialog', { name: fi.periodActions.close.title });
      await dialog.waitFor();
      await dialog.getByRole('radio', { name: fi.periodActions.outcomes.education }).check();
      await dialog.getByLabel(fi.periodActions.fields.outcomeCode).selectOption('vocational_education');
      await dialog.getByLabel(fi.periodActions.fields.closingNote).fill('Aloittaa ammatilliset opinnot.');
      await assertNoAxeViolations(page, 'the period closing dialog');
      await dialog.getByRole('button', { name: fi.periodActions.close.submit }).click();
      await dialog.waitFor({ state: 'detached' });
      const today = helsinkiToday();
      await page.getByTestId('period-state').getByText(fi.periodActions.state.ended.replace('{{date}}', finnishDate(today))).waitFor();
      const outcome = page.getByTestId('period-outcome');
      await outcome.getByText(fi.periodActions.outcomes.education, { exact: false }).waitFor();
      await outcome.getByText('Aloittaa ammatilliset opinnot.').waitFor();
      assert.equal(await page.getByRole('button', { name: fi.periodActions.close.button }).count(), 0, 'an ended period is not ended again');
      await assertNoAxeViolations(page, 'the ended period');

      // The client's page: the period ended, with its outcome.
      await page.getByRole('link', { name: fi.periods.backToClient }).click();
      await page.getByRole('heading', { level: 1, name: 'Pertti Jaksola' }).waitFor();
      const row = page.getByTestId('periods').locator('tbody tr').first();
      await row.getByText(finnishDate(today), { exact: true }).waitFor();
      await row.getByText(`${fi.periodActions.outcomes.education}: Ammatillinen koulutus`).waitFor();
      await assertNoAxeViolations(page, 'the client page with an ended period');
      assert.equal(new URL(page.url()).pathname, `/clients/${clientId}`);

      assert.deepEqual(pageErrors, [], 'no script errors');
    } catch (error) {
      if (process.env.E2E_FAILURE_SCREENSHOT) await page.screenshot({ path: process.env.E2E_FAILURE_SCREENSHOT, fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
