// Actions on a client and a period that the API offered but the web app did not, end to end
// against a real `polku serve --demo`: a coach records a disclosure and is refused on a
// verbal consent (the reason shown), records it on a written one and sees it in the log;
// edits their own diary entry within the edit window and corrects a colleague's with a
// reason; ends a signed agreement with a date and a reason; corrects a background entry.
// A coach of another unit opens
// the client only after stating a reason in a dialog. Finnish UI, axe on every screen.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 POLKU_E2E_DEMO_LOGINS=data/demo-logins.txt node --test client-actions.test.mjs

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The open diary edit form's name, whatever the entry's date. */
const [editBefore, editAfter] = fi.clientActions.diary.editTitle.split('{{date}}');
const editFormName = new RegExp(`^${escape(editBefore)}.+${escape(editAfter)}$`);

const adminPassword = readFileSync(loginsFile, 'utf8').match(/admin@demo\.polku\.fi\s+(\S+)/)?.[1];
assert.ok(adminPassword, 'the demo logins name the admin');

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function assertNoAxeViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const report = violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `  - ${n.target.join(' ')}\n    ${n.failureSummary}`).join('\n'))
    .join('\n');
  assert.equal(violations.length, 0, `axe found ${violations.length} violation(s) on ${what} (${page.url()}):\n${report}`);
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

async function login(email, password) {
  const result = await api('/api/v1/auth/login', { body: { email, password } });
  assert.equal(result.status, 'authenticated', `${email} signs in without a second factor`);
  return result.access_token;
}

const run = randomBytes(3).toString('hex');
const password = `toimintojen testi ${run} kulkee`;
/** The people of this test: two coaches of one unit, one of another. Made by the admin. */
const people = {
  coach: { email: `ohjaaja-${run}@e2e.polku.fi`, name: 'Ella Ohjaaja' },
  colleague: { email: `kollega-${run}@e2e.polku.fi`, name: 'Kalle Kollega' },
  other: { email: `toinen-${run}@e2e.polku.fi`, name: 'Toini Toisesta' },
};
let clientId;
let periodId;
const clientName = `Onni ${run.toUpperCase()} Luovutettava`;

/** A valid identity code in the temporary range (900–999), as DVV computes the check character. */
function identityCode(ddmmyy, sign, individual) {
  const check = '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(ddmmyy + individual) % 31];
  return `${ddmmyy}${sign}${individual}${check}`;
}

let browser;

before(async () => {
  const admin = await login('admin@demo.polku.fi', adminPassword);
  const unit = await api('/api/v1/admin/units', { token: admin, body: { name: `Työpaja ${run}` } });
  const otherUnit = await api('/api/v1/admin/units', { token: admin, body: { name: `Kotoutuminen ${run}` } });
  for (const [key, person] of Object.entries(people)) {
    const created = await api('/api/v1/admin/users', {
      token: admin,
      body: { email: person.email, display_name: person.name, roles: ['coach'], unit_ids: [key === 'other' ? otherUnit.id : unit.id] },
    });
    const token = new URL(created.invitation.url).hash.replace(/^#token=/, '');
    await api('/api/v1/auth/password/set', { body: { token, new_password: password } });
  }
  // The client, a period with the colleague's diary entry and a signed agreement, and a
  // disclosure consent the client gave only verbally.
  const coach = await login(people.coach.email, password);
  const colleague = await login(people.colleague.email, password);
  const [first, last] = [clientName.split(' ').slice(0, 2).join(' '), clientName.split(' ')[2]];
  const client = await api('/api/v1/clients', {
    token: coach,
    body: { unit_id: unit.id, first_names: first, last_name: last, personal_identity_code: identityCode('240598', '-', String(900 + (parseInt(run, 16) % 99))) },
  });
  clientId = client.id;
  await api(`/api/v1/clients/${clientId}/consents`, { token: coach, body: { kind: 'processing', given_how: 'written' } });
  await api(`/api/v1/clients/${clientId}/history`, { token: coach, body: { kind: 'work', occupation: 'Varastotyöntekijä', description: 'Keräilyä' } });
  await api(`/api/v1/clients/${clientId}/consents`, {
    token: coach,
    body: { kind: 'disclosure', recipient: 'Kela', given_how: 'verbal', witness: 'Ella Ohjaaja', data_categories: ['attendance'] },
  });
  const today = new Date().toISOString().slice(0, 10);
  const period = await api(`/api/v1/clients/${clientId}/periods`, {
    token: coach,
    body: { service_type: 'coaching', starts_on: today, unit_id: unit.id },
  });
  periodId = period.id;
  await api(`/api/v1/periods/${periodId}/diary`, { token: coach, body: { body: 'Onni saapui ajoisa.' } });
  await api(`/api/v1/periods/${periodId}/diary`, { token: colleague, body: { body: 'Onni osallistui ryhmään koko päivän.' } });
  const agreement = await api(`/api/v1/periods/${periodId}/agreements`, { token: coach, body: { kind: 'work', workplace: 'Kaupunginkirjasto' } });
  await api(`/api/v1/periods/${periodId}/agreements/${agreement.id}`, {
    token: coach,
    method: 'PATCH',
    body: { state: 'signed', signed_on: today },
    ifMatch: `"${agreement.version}"`,
  });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

/** A browser page signed in as `person`, at `path`. */
async function signedIn(person, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url(path));
  await page.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();
  await page.getByLabel(fi.auth.login.email).fill(person.email);
  await page.getByLabel(fi.auth.login.password).fill(password);
  await page.getByRole('button', { name: fi.auth.login.submit }).click();
  return { context, page, pageErrors };
}

async function failureScreenshot(page) {
  if (process.env.E2E_FAILURE_SCREENSHOT) await page.screenshot({ path: process.env.E2E_FAILURE_SCREENSHOT, fullPage: true });
}

describe('client and period actions in the web app', () => {
  test('a coach is refused a disclosure on a verbal consent, discloses on a written one, corrects the diary and ends an agreement', { timeout: 180_000 }, async () => {
    const { context, page, pageErrors } = await signedIn(people.coach, `/clients/${clientId}`);
    try {
      await page.getByRole('heading', { level: 1, name: clientName }).waitFor();
      const disclosures = page.getByTestId('disclosures');
      await disclosures.getByText(fi.disclosures.empty).waitFor();
      await assertNoAxeViolations(page, 'the client page with its disclosure log');

      // Kela on the verbal consent: refused, the reason shown, nothing in the log.
      await disclosures.getByRole('button', { name: fi.disclosures.form.open }).click();
      const form = page.getByRole('form', { name: fi.disclosures.form.title });
      await form.getByRole('textbox', { name: fi.disclosures.fields.recipient, exact: true }).fill('Kela');
      await form.getByRole('checkbox', { name: fi.consents.categories.attendance }).check();
      await form.getByRole('button', { name: fi.disclosures.form.submit }).click();
      await form.getByTestId('disclosure-refused').getByText(fi.disclosures.refused.verbal_consent).waitFor();
      await assertNoAxeViolations(page, 'the refused disclosure');
      assert.equal(await disclosures.getByTestId('disclosure-log').count(), 0, 'nothing disclosed');

      // The client signs a consent: recorded as written, the disclosure goes through and is logged.
      await page.getByRole('button', { name: fi.consents.give.open }).click();
      const consentForm = page.getByRole('form', { name: fi.consents.give.title });
      await consentForm.getByLabel(fi.consents.fields.kind, { exact: true }).selectOption('disclosure');
      await consentForm.getByRole('textbox', { name: fi.consents.fields.recipient, exact: true }).fill('Kela');
      await consentForm.getByRole('checkbox', { name: fi.consents.categories.attendance }).check();
      await consentForm.getByRole('radio', { name: fi.consents.givenHow.written }).check();
      await consentForm.getByRole('button', { name: fi.consents.give.submit }).click();
      await consentForm.waitFor({ state: 'detached' });
      await form.getByRole('button', { name: fi.disclosures.form.submit }).click();
      const log = disclosures.getByTestId('disclosure-log');
      await log.getByText('Kela', { exact: true }).waitFor();
      await log.getByText(people.coach.name).waitFor();
      await assertNoAxeViolations(page, 'the client page with a disclosure logged');

      // A background entry corrected, with the reason for the change history.
      const history = page.getByTestId('history');
      await history.getByRole('button', { name: fi.clientActions.history.correctFor.replace('{{kind}}', fi.history.kinds.work) }).click();
      const historyForm = history.getByRole('form', { name: fi.clientActions.history.title });
      await historyForm.getByRole('textbox', { name: fi.history.occupation, exact: true }).fill('Trukinkuljettaja');
      await historyForm.getByRole('textbox', { name: fi.clientActions.history.reason, exact: true }).fill('Ammatti kirjattu väärin');
      await assertNoAxeViolations(page, 'a background entry being corrected');
      await historyForm.getByRole('button', { name: fi.clientActions.history.save }).click();
      await history.getByText('Trukinkuljettaja', { exact: true }).waitFor();

      // The period: the coach edits their own entry within the edit window.
      await page.getByTestId('periods').getByRole('link').first().click();
      const diary = page.getByTestId('diary');
      await diary.getByText('Onni saapui ajoisa.').waitFor();
      const own = diary.getByTestId('diary-entry').filter({ hasText: 'Onni saapui ajoisa.' });
      await own.getByRole('button', { name: fi.clientActions.diary.edit }).click();
      const ownForm = diary.getByRole('form', { name: editFormName });
      await ownForm.getByText(fi.clientActions.diary.editHelp.split('{{')[0].trim()).waitFor();
      await ownForm.getByLabel(fi.clientActions.diary.text, { exact: false }).fill('Onni saapui ajoissa.');
      await assertNoAxeViolations(page, 'the diary entry being edited');
      await ownForm.getByRole('button', { name: fi.clientActions.diary.save }).click();
      await diary.getByText('Onni saapui ajoissa.', { exact: true }).waitFor();

      // The colleague's entry is corrected, only with a reason.
      const theirs = diary.getByTestId('diary-entry').filter({ hasText: 'Onni osallistui ryhmään' });
      await theirs.getByRole('button', { name: fi.clientActions.diary.edit }).click();
      const theirForm = diary.getByRole('form', { name: editFormName });
      await theirForm.getByText(fi.clientActions.diary.correctionHelp).waitFor();
      await theirForm.getByLabel(fi.clientActions.diary.text, { exact: false }).fill('Onni osallistui ryhmään puoli päivää.');
      await theirForm.getByRole('button', { name: fi.clientActions.diary.saveCorrection }).click();
      const reason = theirForm.getByLabel(fi.clientActions.diary.reason, { exact: false });
      assert.equal(await reason.getAttribute('aria-invalid'), 'true', 'a correction without a reason is not sent');
      await assertNoAxeViolations(page, 'a correction missing its reason');
      await reason.fill('Väärä osallistumisaika');
      await theirForm.getByRole('button', { name: fi.clientActions.diary.saveCorrection }).click();
      await diary.getByText('Onni osallistui ryhmään puoli päivää.', { exact: true }).waitFor();
      await assertNoAxeViolations(page, 'the period page after the corrections');

      // The signed agreement ends on a date, for a reason.
      const agreements = page.getByTestId('agreements');
      await agreements.getByTestId('agreement-signed').getByRole('button', { name: fi.clientActions.agreementEnd.open }).click();
      const endDialog = page.getByRole('dialog', { name: fi.clientActions.agreementEnd.title });
      await endDialog.waitFor();
      await endDialog.getByLabel(fi.clientActions.agreementEnd.reason, { exact: false }).fill('Työkokeilu päättyi ennen aikojaan');
      await assertNoAxeViolations(page, 'ending an agreement');
      await endDialog.getByRole('button', { name: fi.clientActions.agreementEnd.confirm }).click();
      await agreements.getByTestId('agreement-ended').getByText('Työkokeilu päättyi ennen aikojaan').waitFor();

      // Both texts are stored as corrected.
      const me = await login(people.coach.email, password);
      const entries = await api(`/api/v1/periods/${periodId}/diary`, { token: me });
      assert.deepEqual(entries.items.map((entry) => entry.body).sort(), ['Onni osallistui ryhmään puoli päivää.', 'Onni saapui ajoissa.']);
      assert.deepEqual(pageErrors, [], 'no script errors');
    } catch (error) {
      await failureScreenshot(page);
      throw error;
    } finally {
      await context.close();
    }
  });

  test("a coach of another unit opens the client after stating a reason", { timeout: 120_000 }, async () => {
    const { context, page, pageErrors } = await signedIn(people.other, `/clients/${clientId}`);
    try {
      const dialog = page.getByRole('dialog', { name: fi.accessReason.title });
      await dialog.waitFor();
      await assertNoAxeViolations(page, 'the access reason dialog');
      await dialog.getByLabel(fi.accessReason.reason, { exact: false }).fill('Sijaisuus tällä viikolla');
      await dialog.getByRole('button', { name: fi.accessReason.submit }).click();
      await page.getByRole('heading', { level: 1, name: clientName }).waitFor();
      await page.getByTestId('disclosure-log').getByText('Kela', { exact: true }).waitFor();
      await assertNoAxeViolations(page, "another unit's client opened with a reason");
      assert.deepEqual(pageErrors, [], 'no script errors');
    } catch (error) {
      await failureScreenshot(page);
      throw error;
    } finally {
      await context.close();
    }
  });
});
