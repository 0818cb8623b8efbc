import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { labelled } from '@/testing/labelled';
import { fakeApi, me, problem, readyResponse, renderApp } from '@/testing/test-utils';

import { tokenFromLocation } from './set-password-page';

const anonymous = {
  'POST /api/v1/auth/refresh': () => problem(401, 'unauthenticated'),
  'GET /readyz': () => readyResponse(),
};
const strong = 'korppi vaeltaa hiljaa sumussa';

async function fillForm(user: ReturnType<typeof userEvent.setup>, password: string, repeat = password) {
  await user.type(await screen.findByLabelText(fi.account.fields.email, { exact: false }), 'uusi@kunta.fi');
  await user.type(screen.getByLabelText(labelled(fi.account.fields.new_password)), password);
  await user.type(screen.getByLabelText(labelled(fi.account.fields.new_password_repeat)), repeat);
  await user.click(screen.getByRole('button', { name: fi.account.setPassword.submit }));
}

describe('the invitation link', () => {
  it('takes the token from the fragment, or from the query of an older link', () => {
    expect(tokenFromLocation('token=abc.def', {})).toBe('abc.def');
    expect(tokenFromLocation('#token=abc.def', {})).toBe('abc.def');
    expect(tokenFromLocation('', { token: 'q-token' })).toBe('q-token');
    expect(tokenFromLocation('', {})).toBeNull();
  });

  it('says so when the link has no token, and sends nothing', async () => {
    const api = fakeApi(anonymous);
    renderApp('/set-password');
    expect(await screen.findByText(fi.account.setPassword.noToken, {}, { timeout: 5_000 })).toBeVisible();
    expect(api.count('POST /api/v1/auth/password/set')).toBe(0);
  });

  it('checks length and repetition before sending, then shows the server’s verdict beside the password', async () => {
    const api = fakeApi({
      ...anonymous,
      'POST /api/v1/auth/password/set': () =>
        problem(422, 'validation', [{ field: 'new_password', code: 'too_weak', message: 'This is a top-10 common password.' }]),
    });
    const user = userEvent.setup();
    renderApp('/set-password#token=link-token');

    await fillForm(user, 'lyhyt', 'toinen');
    expect(await screen.findByText(fi.account.errors.new_password.too_short)).toBeVisible();
    expect(screen.getByText(fi.account.errors.new_password_repeat.mismatch)).toBeVisible();
    expect(api.count('POST /api/v1/auth/password/set')).toBe(0);

    const password = screen.getByLabelText(labelled(fi.account.fields.new_password));
    const repeat = screen.getByLabelText(labelled(fi.account.fields.new_password_repeat));
    await user.clear(password);
    await user.type(password, 'salasana1234');
    await user.clear(repeat);
    await user.type(repeat, 'salasana1234');
    await user.click(screen.getByRole('button', { name: fi.account.setPassword.submit }));

    expect(await screen.findByText(fi.account.errors.new_password.too_weak)).toBeVisible();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    const body: unknown = await api.calls.find((r) => r.url.endsWith('/auth/password/set'))?.json();
    expect(body).toEqual({ token: 'link-token', new_password: 'salasana1234' });
    // The server's English message is not shown.
    expect(screen.queryByText(/top-10/)).toBeNull();
  });

  it('tells a spent or expired link apart', async () => {
    fakeApi({ ...anonymous, 'POST /api/v1/auth/password/set': () => problem(410, 'link-expired') });
    const user = userEvent.setup();
    renderApp('/set-password#token=old');
    await fillForm(user, strong);
    expect(await screen.findByText(fi.account.setPassword.linkExpired)).toBeVisible();
  });

  it('sets the password and signs in with it, straight to the home page', async () => {
    const api = fakeApi({
      ...anonymous,
      'POST /api/v1/auth/password/set': () => new Response(null, { status: 204 }),
      'POST /api/v1/auth/login': () =>
        Response.json({ status: 'authenticated', access_token: 'token-1', token_type: 'Bearer', expires_in: 900 }),
      'GET /api/v1/auth/me': me({ email: 'uusi@kunta.fi' }),
    });
    const user = userEvent.setup();
    const { router } = renderApp('/set-password#token=link-token');
    await fillForm(user, strong);
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/');
    });
    const login: unknown = await api.calls.find((r) => r.url.endsWith('/auth/login'))?.json();
    expect(login).toEqual({ email: 'uusi@kunta.fi', password: strong });
  });

  it('goes on to enrol a second factor when the organisation requires one', async () => {
    fakeApi({
      ...anonymous,
      'POST /api/v1/auth/password/set': () => new Response(null, { status: 204 }),
      'POST /api/v1/auth/login': () => Response.json({ status: 'mfa_enrolment_required', mfa_token: 'ticket' }),
      'POST /api/v1/auth/login/mfa-setup': () =>
        Response.json({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Polku:uusi%40kunta.fi?secret=JBSWY3DPEHPK3PXP&issuer=Polku' }),
    });
    const user = userEvent.setup();
    renderApp('/set-password#token=link-token');
    await fillForm(user, strong);
    expect(await screen.findByRole('heading', { name: fi.auth.enrol.heading })).toBeVisible();
    expect(screen.getByText(fi.account.setPassword.done)).toBeVisible();
    expect(await screen.findByTestId('mfa-secret')).toHaveTextContent('JBSWY3DPEHPK3PXP');
  });
});
