import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { labelled } from '@/testing/labelled';
import { signedIn } from '@/testing/fixtures';
import { fakeApi, me, problem, renderApp } from '@/testing/test-utils';

const sessions = () =>
  Response.json([
    {
      id: '00000000-0000-7000-8000-00000000s001',
      created_at: '2026-12-06T07:00:00Z',
      last_refreshed_at: '2026-12-06T08:00:00Z',
      expires_at: '2026-12-06T19:00:00Z',
      source_address: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
      current: true,
    },
    {
      id: '00000000-0000-7000-8000-00000000s002',
      created_at: '2026-12-01T07:00:00Z',
      last_refreshed_at: '2026-12-01T09:00:00Z',
      expires_at: '2026-12-06T19:00:00Z',
      source_address: '10.0.0.7',
      user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
      current: false,
    },
  ]);

type Handler = (request: Request) => Response | Promise<Response>;
const account = (routes: Record<string, Handler | Handler[]>) =>
  fakeApi({ ...signedIn, 'GET /api/v1/auth/sessions': sessions, ...routes });

describe('my account', () => {
  it('changes the password: checks the repetition first, shows the server’s field errors beside their fields', async () => {
    const api = account({
      'POST /api/v1/auth/password': [
        () => problem(422, 'validation', [{ field: 'current_password', code: 'wrong_password', message: 'The current password is wrong.' }]),
        () => new Response(null, { status: 204 }),
      ],
    });
    const user = userEvent.setup();
    renderApp('/account');
    const form = await screen.findByTestId('change-password', {}, { timeout: 5_000 });
    const current = within(form).getByLabelText(fi.account.fields.current_password, { exact: false });
    const password = within(form).getByLabelText(labelled(fi.account.fields.new_password));
    const repeat = within(form).getByLabelText(labelled(fi.account.fields.new_password_repeat));

    await user.click(within(form).getByRole('button', { name: fi.account.changePassword.submit }));
    expect(within(form).getByText(fi.account.errors.current_password.required)).toBeVisible();
    expect(within(form).getByText(fi.account.errors.new_password.required)).toBeVisible();
    expect(api.count('POST /api/v1/auth/password')).toBe(0);

    await user.type(current, 'väärä salasana');
    await user.type(password, 'korppi vaeltaa hiljaa sumussa');
    await user.type(repeat, 'korppi vaeltaa hiljaa sumussa');
    await user.click(within(form).getByRole('button', { name: fi.account.changePassword.submit }));
    expect(await within(form).findByText(fi.account.errors.current_password.wrong_password)).toBeVisible();
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(await api.calls.find((r) => r.url.endsWith('/auth/password'))?.json()).toEqual({
      current_password: 'väärä salasana',
      new_password: 'korppi vaeltaa hiljaa sumussa',
    });

    await user.clear(current);
    await user.type(current, 'oikea vanha salasana');
    await user.click(within(form).getByRole('button', { name: fi.account.changePassword.submit }));
    expect(await within(form).findByText(fi.account.changePassword.done)).toBeVisible();
    expect(current).toHaveValue('');
  });

  it('turns two-factor authentication on: QR code and secret, a wrong code refused beside its field, recovery codes once', async () => {
    let enabled = false;
    const api = account({
      'GET /api/v1/auth/me': () => me({ mfa_enabled: enabled })(),
      'POST /api/v1/auth/mfa/setup': () =>
        Response.json({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Polku:coach%40example.fi?secret=JBSWY3DPEHPK3PXP&issuer=Polku' }),
      'POST /api/v1/auth/mfa/confirm': [
        () => problem(422, 'validation', [{ field: 'code', code: 'invalid_code', message: 'The code is wrong or expired.' }]),
        () => {
          enabled = true;
          return Response.json({ recovery_codes: ['aaaa-bbbb', 'cccc-dddd'], session: null });
        },
      ],
    });
    const user = userEvent.setup();
    renderApp('/account');
    const section = await screen.findByTestId('two-factor', {}, { timeout: 5_000 });
    expect(within(section).getByTestId('mfa-status')).toHaveTextContent(fi.account.mfa.off);
    await user.click(within(section).getByRole('button', { name: fi.account.mfa.enable }));

    const form = await within(section).findByRole('form', { name: fi.account.mfa.enrolHeading });
    expect(within(form).getByTestId('mfa-secret')).toHaveTextContent('JBSWY3DPEHPK3PXP');
    expect(await within(form).findByRole('img', { name: fi.auth.enrol.qrAlt })).toHaveAttribute('src', expect.stringMatching(/^data:image\/svg\+xml/));

    const code = within(form).getByLabelText(fi.auth.enrol.code, { exact: false });
    await user.type(code, '12345');
    await user.click(within(form).getByRole('button', { name: fi.account.mfa.confirm }));
    expect(within(form).getByText(fi.account.errors.code.format)).toBeVisible();
    expect(api.count('POST /api/v1/auth/mfa/confirm')).toBe(0);

    await user.clear(code);
    await user.type(code, '123 456');
    await user.click(within(form).getByRole('button', { name: fi.account.mfa.confirm }));
    expect(await within(form).findByText(fi.account.errors.code.invalid_code)).toBeVisible();
    expect(await api.calls.find((r) => r.url.endsWith('/mfa/confirm'))?.json()).toEqual({ code: '123456' });

    await user.click(within(form).getByRole('button', { name: fi.account.mfa.confirm }));
    const codes = await within(section).findByTestId('recovery-codes');
    expect(codes).toHaveTextContent('aaaa-bbbb');
    await user.click(within(section).getByRole('button', { name: fi.auth.recovery.continue }));
    expect(await within(section).findByText(fi.account.mfa.on)).toBeVisible();
    expect(within(section).queryByTestId('recovery-codes')).toBeNull();
  });

  it('offers no way to turn it off when the organisation requires it', async () => {
    account({ 'GET /api/v1/auth/me': me({ mfa_enabled: true, mfa_required: true }) });
    renderApp('/account');
    const section = await screen.findByTestId('two-factor', {}, { timeout: 5_000 });
    expect(within(section).getByText(fi.account.mfa.required)).toBeVisible();
    expect(within(section).queryByRole('button', { name: fi.account.mfa.disable })).toBeNull();
  });

  it('turns it off with the password where allowed; a wrong password is shown beside its field', async () => {
    const api = account({
      'GET /api/v1/auth/me': [me({ mfa_enabled: true, mfa_required: false })],
      'POST /api/v1/auth/mfa/disable': [
        () => problem(422, 'validation', [{ field: 'current_password', code: 'wrong_password', message: 'wrong' }]),
        () => new Response(null, { status: 204 }),
      ],
    });
    const user = userEvent.setup();
    renderApp('/account');
    const section = await screen.findByTestId('two-factor', {}, { timeout: 5_000 });
    await user.click(within(section).getByRole('button', { name: fi.account.mfa.disable }));
    const form = await within(section).findByRole('form', { name: fi.account.mfa.disableHeading });
    await user.type(within(form).getByLabelText(fi.account.fields.current_password, { exact: false }), 'väärä');
    await user.click(within(form).getByRole('button', { name: fi.account.mfa.disableConfirm }));
    expect(await within(form).findByText(fi.account.errors.current_password.wrong_password)).toBeVisible();
    await user.click(within(form).getByRole('button', { name: fi.account.mfa.disableConfirm }));
    await waitFor(() => {
      expect(within(section).queryByRole('form', { name: fi.account.mfa.disableHeading })).toBeNull();
    });
    expect(api.count('POST /api/v1/auth/mfa/disable')).toBe(2);
  });

  it('lists the live sessions, marks this browser, and ends another', async () => {
    const api = account({ 'POST /api/v1/auth/sessions/00000000-0000-7000-8000-00000000s002/end': () => new Response(null, { status: 204 }) });
    const user = userEvent.setup();
    renderApp('/account');
    const section = await screen.findByTestId('sessions', {}, { timeout: 5_000 });
    expect(await within(section).findAllByRole('row')).toHaveLength(3);
    const thisBrowser = within(section).getByRole('row', { name: /Chrome, Linux/ });
    expect(thisBrowser).toHaveTextContent(fi.account.sessions.current);
    expect(within(thisBrowser).queryByRole('button')).toBeNull();
    const other = within(section).getByRole('row', { name: /Firefox, Windows/ });
    expect(other).not.toHaveTextContent(fi.account.sessions.current);
    await user.click(within(other).getByRole('button', { name: /^Lopeta istunto: Firefox, Windows/ }));
    await waitFor(() => {
      expect(api.count('GET /api/v1/auth/sessions')).toBeGreaterThanOrEqual(2);
    });
    expect(api.count('POST /api/v1/auth/sessions/00000000-0000-7000-8000-00000000s002/end')).toBe(1);
  });
});
