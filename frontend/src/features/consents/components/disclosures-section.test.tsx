import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import fi from '@/locales/fi.json';
import { startSession } from '@/lib/session';
import { fakeApi, me, problem, renderWithProviders } from '@/testing/test-utils';

import { toDisclosureRequest, validateDisclosure, emptyDisclosure } from './disclosure-form-values';
import { DisclosuresSection } from './disclosures-section';

const clientId = '00000000-0000-7000-8000-0000000000c1';
const consentId = '00000000-0000-7000-8000-0000000000k1';
const consentsPath = `/api/v1/clients/${clientId}/consents`;
const disclosuresPath = `/api/v1/clients/${clientId}/disclosures`;
const verbalConsent = {
  id: consentId,
  client_id: clientId,
  kind: 'disclosure',
  recipient: 'Kela',
  recipient_is_category: false,
  data_categories: ['attendance'],
  given_at: '2026-12-01T10:00:00Z',
  given_how: 'verbal',
  witness: 'Maija Meikäläinen',
  valid_from: '2026-12-01T10:00:00Z',
  recorded_at: '2026-12-01T10:00:00Z',
  status: 'active',
};
const logged = {
  id: '00000000-0000-7000-8000-0000000000e1',
  occurred_at: '2026-12-03T09:30:00Z',
  recipient: 'Kela',
  recipient_category: null,
  data_categories: ['attendance'],
  consent_id: consentId,
  legal_basis: null,
  disclosed_by: 'Aino Ohjaaja',
};

function renderSection() {
  startSession('token', 900);
  return renderWithProviders(<DisclosuresSection clientId={clientId} />);
}

async function openForm() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: fi.disclosures.form.open }));
  const form = await screen.findByRole('form', { name: fi.disclosures.form.title });
  return { user, form };
}

describe('the disclosure form values', () => {
  it('needs a recipient and data, and a law when the disclosure rests on one', () => {
    expect(validateDisclosure(emptyDisclosure)).toEqual({ recipient: 'required', data_categories: 'required' });
    const law = { ...emptyDisclosure, recipient: 'Kela', categories: ['attendance' as const], basis: 'law' as const };
    expect(validateDisclosure(law)).toEqual({ legal_basis: 'required' });
    expect(validateDisclosure({ ...law, legalBasis: 'L' })).toEqual({ legal_basis: 'too_short' });
    expect(validateDisclosure({ ...law, legalBasis: 'Laki 189/2001 13 §' })).toEqual({});
  });

  it('sends either the consent or the law, never both', () => {
    const values = {
      ...emptyDisclosure,
      recipient: ' Kela ',
      categories: ['attendance' as const],
      consentId,
      legalBasis: 'Laki 189/2001',
    };
    expect(toDisclosureRequest(values)).toEqual({
      recipient: 'Kela',
      recipient_category: null,
      data_categories: ['attendance'],
      consent_id: consentId,
      legal_basis: null,
    });
    expect(toDisclosureRequest({ ...values, basis: 'law' })).toMatchObject({ consent_id: null, legal_basis: 'Laki 189/2001' });
  });
});

describe('disclosures on the client page', () => {
  it('checks the form before sending it, showing each problem beside its field', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${consentsPath}`]: () => Response.json([]),
      [`GET ${disclosuresPath}`]: () => Response.json([]),
    });
    renderSection();
    expect(await screen.findByText(fi.disclosures.empty)).toBeVisible();
    const { user, form } = await openForm();
    await user.click(within(form).getByRole('button', { name: fi.disclosures.form.submit }));

    // Beside the recipient and the data, in the UI's words.
    expect(within(form).getAllByText(fi.errors.codes.required)).toHaveLength(2);
    expect(within(form).getByRole('textbox', { name: fi.disclosures.fields.recipient })).toHaveAttribute('aria-invalid', 'true');
    expect(api.count(`POST ${disclosuresPath}`)).toBe(0);
    // A coach cannot rest a disclosure on a law: the choice is not offered.
    expect(within(form).queryByRole('radio', { name: fi.disclosures.basis.law })).not.toBeInTheDocument();
  });

  it('shows the API field errors beside their fields', async () => {
    fakeApi({
      'GET /api/v1/auth/me': me({ permissions: ['clients_read_own_units', 'clients_write_own_units', 'disclosures_statutory'] }),
      [`GET ${consentsPath}`]: () => Response.json([]),
      [`GET ${disclosuresPath}`]: () => Response.json([]),
      [`POST ${disclosuresPath}`]: () =>
        problem(422, 'validation', [
          { field: 'recipient', code: 'control_characters', message: 'No control characters.' },
          { field: 'legal_basis', code: 'too_short', message: 'Name the law and section.' },
        ]),
    });
    renderSection();
    const { user, form } = await openForm();
    await user.type(within(form).getByRole('textbox', { name: fi.disclosures.fields.recipient }), 'Aluehallintovirasto');
    await user.click(within(form).getByRole('checkbox', { name: fi.consents.categories.periods }));
    await user.click(within(form).getByRole('radio', { name: fi.disclosures.basis.law }));
    await user.type(within(form).getByLabelText(fi.disclosures.fields.legalBasis, { exact: false }), 'Laki 189/2001');
    await user.click(within(form).getByRole('button', { name: fi.disclosures.form.submit }));

    expect(await within(form).findByText(fi.errors.codes.control_characters)).toBeVisible();
    expect(within(form).getByRole('textbox', { name: fi.disclosures.fields.recipient })).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText(fi.errors.codes.too_short)).toBeVisible();
    expect(within(form).getByLabelText(fi.disclosures.fields.legalBasis, { exact: false })).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows why a disclosure on a verbal consent is refused, and lists one that went through', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': me(),
      [`GET ${consentsPath}`]: () => Response.json([verbalConsent]),
      [`GET ${disclosuresPath}`]: [() => Response.json([]), () => Response.json([logged])],
      [`POST ${disclosuresPath}`]: [
        () =>
          new Response(
            JSON.stringify({
              type: 'urn:polku:problem:consent-required',
              title: 'Consent required',
              status: 409,
              detail: 'The consent was given verbally.',
              errors: [{ field: 'consent_id', code: 'verbal_consent', message: 'The consent was given verbally.' }],
            }),
            { status: 409, headers: { 'Content-Type': 'application/problem+json' } },
          ),
        () => Response.json({ ...logged, client_id: clientId }, { status: 201 }),
      ],
    });
    renderSection();
    const { user, form } = await openForm();
    await user.type(within(form).getByRole('textbox', { name: fi.disclosures.fields.recipient }), 'Kela');
    await user.click(within(form).getByRole('checkbox', { name: fi.consents.categories.attendance }));
    await user.selectOptions(within(form).getByRole('combobox', { name: fi.disclosures.fields.consent }), consentId);
    await user.click(within(form).getByRole('button', { name: fi.disclosures.form.submit }));

    const refused = await within(form).findByTestId('disclosure-refused');
    expect(refused).toHaveTextContent(fi.disclosures.refused.verbal_consent);
    expect(await api.calls.find((r) => r.method === 'POST')?.json()).toEqual({
      recipient: 'Kela',
      recipient_category: null,
      data_categories: ['attendance'],
      consent_id: consentId,
      legal_basis: null,
    });
    expect(screen.getByText(fi.disclosures.empty)).toBeVisible();

    // Sent again (say, after the client signed): the log shows it and the form closes.
    await user.click(within(form).getByRole('button', { name: fi.disclosures.form.submit }));
    const log = await screen.findByTestId('disclosure-log');
    expect(within(log).getByText('Kela')).toBeVisible();
    expect(within(log).getByText('Aino Ohjaaja')).toBeVisible();
    await waitFor(() => {
      expect(screen.queryByRole('form', { name: fi.disclosures.form.title })).not.toBeInTheDocument();
    });
  });
});
