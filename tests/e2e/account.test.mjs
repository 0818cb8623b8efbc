// The account's life in a browser, end to end against a real `polku serve --demo`: the admin
// creates a user (through the admin API, as the admin screen would); the new user follows the
// invitation link, is refused a weak password by the server's own rules, sets a strong one and
// is signed in; turns on two-factor authentication from "Oma tili" with a code computed here
// from the secret shown on the page (RFC 6238), sees the recovery codes once; logs out and in
// again with a code; signs in elsewhere with a recovery code and ends that session from the
// account page — with axe on every screen visited.
//
//   POLKU_E2E_BASE_URL=http://127.0.0.1:8080 POLKU_E2E_DEMO_LOGINS=data/demo-logins.txt npm test

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
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

const adminPassword = readFileSync(loginsFile, 'utf8').match(/admin@demo\.polku\.fi\s+(\S+)/)?.[1];
assert.ok(adminPassword, 'the demo logins name the admin');

/** A field's whole label, with or without the required marker ("Uusi salasana", not "Uusi salasana uudelleen"). */
const labelled = (label) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);

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
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** RFC 4648 base32, as authenticator apps read the secret. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    assert.ok(value >= 0, `not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) of a time step, with RFC 4226's dynamic truncation. */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0x0f;
  const binary = ((hmac[offset] & 0x7f) << 24) | (hmac[offset + 1] << 16) | (hmac[offset + 2] << 8) | hmac[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

let lastUsedStep = -1;
/** A code of a time step not used before (the server accepts each step once). */
async function freshCode(secret) {
  let step = Math.floor(Date.now() / 30_000);
  while (step <= lastUsedStep) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    step = Math.floor(Date.now() / 30_000);
  }
  lastUsedStep = step;
  return totp(secret, step);
}

let browser;
let invitation;
const email = `uusi.ohjaaja.${Date.now()}@demo.polku.fi`;
const displayName = 'Ursula Uusitalo';
const password = 'korppi vaeltaa hiljaa sumussa';

before(async () => {
  // The RFC 6238 test vector (SHA-1, T = 59 s) keeps the hand-written TOTP honest.
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1), '287082');

  const login = await api('/api/v1/auth/login', { body: { email: 'admin@demo.polku.fi', password: adminPassword } });
  assert.equal(login.status, 'authenticated');
  const units = await api('/api/v1/units', { token: login.access_token });
  const created = await api('/api/v1/admin/users', {
    token: login.access_token,
    body: { email, display_name: displayName, roles: ['coach'], unit_ids: [units.items[0].id] },
  });
  assert.equal(created.invitation.delivery, 'shown', 'the demo has no mail: the link is in the answer');
  invitation = new URL(created.invitation.url);
  assert.equal(invitation.pathname, '/set-password');
  assert.match(invitation.hash, /^#token=/);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

describe('a new user in the web app', () => {
  test('follows the invitation link, sets a password, turns on 2FA, signs out and in again with a code', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });

    try {
      // The link from the invitation opens the page that sets the password.
      await page.goto(url(`/set-password${invitation.hash}`));
      await page.getByRole('heading', { level: 2, name: fi.account.setPassword.heading }).waitFor();
      // The one-time token leaves the address bar.
      await page.waitForURL((address) => !address.hash.includes('token'));
      await assertNoAxeViolations(page, 'the set-password page');

      // The server's own rules: the user's name in the password makes it weak.
      await page.getByLabel(fi.account.fields.email).fill(email);
      await page.getByLabel(labelled(fi.account.fields.new_password)).fill('UrsulaUusitalo');
      await page.getByLabel(labelled(fi.account.fields.new_password_repeat)).fill('UrsulaUusitalo');
      await page.getByRole('button', { name: fi.account.setPassword.submit }).click();
      await page.getByText(fi.account.errors.new_password.too_weak).waitFor();
      assert.equal(await page.getByLabel(labelled(fi.account.fields.new_password)).getAttribute('aria-invalid'), 'true');
      await assertNoAxeViolations(page, 'the set-password page with the server’s error');

      await page.getByLabel(labelled(fi.account.fields.new_password)).fill(password);
      await page.getByLabel(labelled(fi.account.fields.new_password_repeat)).fill(password);
      await page.getByTestId('password-strength').and(page.locator('[data-score="3"], [data-score="4"]')).waitFor();
      await page.getByRole('button', { name: fi.account.setPassword.submit }).click();

      // Signed in with it, on the home page.
      await page.getByTestId('current-user').filter({ hasText: displayName }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      await assertNoAxeViolations(page, 'the home page of the new user');

      // My account: turn on two-factor authentication.
      await page.getByTestId('current-user').click();
      await page.getByRole('heading', { level: 1, name: fi.account.heading }).waitFor();
      await page.getByTestId('sessions').getByText(fi.account.sessions.current).waitFor();
      await assertNoAxeViolations(page, 'the account page');

      const twoFactor = page.getByTestId('two-factor');
      assert.equal(await twoFactor.getByTestId('mfa-status').textContent(), fi.account.mfa.off);
      await twoFactor.getByRole('button', { name: fi.account.mfa.enable }).click();
      await twoFactor.getByRole('img', { name: fi.auth.enrol.qrAlt }).waitFor();
      const qrSource = await twoFactor.getByRole('img', { name: fi.auth.enrol.qrAlt }).getAttribute('src');
      assert.match(qrSource, /^data:image\/svg\+xml/, 'the QR code is drawn in the browser');
      const secret = (await twoFactor.getByTestId('mfa-secret').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]+=*$/);
      await assertNoAxeViolations(page, 'the 2FA enrolment');

      await twoFactor.getByLabel(fi.auth.enrol.code).fill('000000');
      await twoFactor.getByRole('button', { name: fi.account.mfa.confirm }).click();
      await twoFactor.getByText(fi.account.errors.code.invalid_code).waitFor();
      await twoFactor.getByLabel(fi.auth.enrol.code).fill(await freshCode(secret));
      await twoFactor.getByRole('button', { name: fi.account.mfa.confirm }).click();

      const codes = twoFactor.getByTestId('recovery-codes');
      await codes.waitFor();
      assert.equal(await codes.getByRole('listitem').count(), 10);
      const recoveryCode = (await codes.getByRole('listitem').first().textContent()).trim();
      await assertNoAxeViolations(page, 'the recovery codes');
      await twoFactor.getByRole('button', { name: fi.auth.recovery.continue }).click();
      await twoFactor.getByTestId('mfa-status').filter({ hasText: fi.account.mfa.on }).waitFor();
      assert.equal(await codes.count(), 0, 'the recovery codes are shown once');

      // Out, and in again with the password and a code.
      await page.getByRole('button', { name: fi.auth.logout }).click();
      await page.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();
      await page.getByLabel(fi.auth.login.email).fill(email);
      await page.getByLabel(fi.auth.login.password).fill(password);
      await page.getByRole('button', { name: fi.auth.login.submit }).click();
      await page.getByRole('heading', { name: fi.auth.mfa.heading }).waitFor();
      await assertNoAxeViolations(page, 'the 2FA step of the login');
      await page.getByLabel(fi.auth.mfa.code).fill(await freshCode(secret));
      await page.getByRole('button', { name: fi.auth.mfa.submit }).click();
      await page.getByTestId('current-user').filter({ hasText: displayName }).waitFor();

      // The account page now says two-factor authentication is on.
      await page.getByTestId('current-user').click();
      await page.getByTestId('two-factor').getByTestId('mfa-status').filter({ hasText: fi.account.mfa.on }).waitFor();

      // A second browser signs in with a recovery code; the first sees it among its sessions and ends it.
      const other = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
      try {
        const elsewhere = await other.newPage();
        elsewhere.setDefaultTimeout(15_000);
        await elsewhere.goto(url('/login'));
        await elsewhere.getByLabel(fi.auth.login.email).fill(email);
        await elsewhere.getByLabel(fi.auth.login.password).fill(password);
        await elsewhere.getByRole('button', { name: fi.auth.login.submit }).click();
        await elsewhere.getByLabel(fi.auth.mfa.code).fill(recoveryCode);
        await elsewhere.getByRole('button', { name: fi.auth.mfa.submit }).click();
        await elsewhere.getByTestId('current-user').filter({ hasText: displayName }).waitFor();

        await page.reload();
        const sessions = page.getByTestId('sessions');
        await sessions.getByRole('button', { name: new RegExp(`^${fi.account.sessions.end}`) }).waitFor();
        assert.equal(await sessions.getByRole('row').count(), 3, 'a heading row and the two sessions');
        await assertNoAxeViolations(page, 'the account page with 2FA on and two sessions');
        await sessions.getByRole('button', { name: new RegExp(`^${fi.account.sessions.end}`) }).click();
        await sessions.getByRole('button', { name: new RegExp(`^${fi.account.sessions.end}`) }).waitFor({ state: 'detached' });
        assert.equal(await sessions.getByRole('row').count(), 2);

        // The ended session no longer opens the app.
        await elsewhere.reload();
        await elsewhere.getByRole('heading', { level: 2, name: fi.auth.login.heading }).waitFor();
      } finally {
        await other.close();
      }

      assert.deepEqual(pageErrors, [], 'no uncaught errors or CSP violations in the page');
    } finally {
      await context.close();
    }
  });
});
