// Client-side checks that mirror the server's (backend/src/clients/identity_code.rs, iban.rs)
// and answer with the same codes, so a field shows the same message whether the browser or
// the API found the problem. The server remains the authority.

const checkCharacters = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const centuries: Record<string, number> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

export type IdentityCodeError = 'format' | 'century_sign' | 'date' | 'individual_number' | 'check_character';

/**
 * Checks a Finnish personal identity code `DDMMYYCZZZQ` by DVV's rules: century sign (all of
 * the 2023 reform), a real date, individual number 002–999 (900–999 are temporary) and the
 * check character. Returns the first problem's code, or `null` when it is valid.
 */
export function checkIdentityCode(input: string): IdentityCodeError | null {
  const code = input.trim().toUpperCase();
  if (code.length !== 11) return 'format';
  const datePart = code.slice(0, 6);
  const sign = code.charAt(6);
  const individual = code.slice(7, 10);
  if (!/^\d{6}$/.test(datePart) || !/^\d{3}$/.test(individual)) return 'format';
  const century = centuries[sign];
  if (century === undefined) return 'century_sign';
  const day = Number(datePart.slice(0, 2));
  const month = Number(datePart.slice(2, 4));
  const year = century + Number(datePart.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'date';
  }
  if (Number(individual) < 2) return 'individual_number';
  const expected = checkCharacters.charAt(Number(datePart + individual) % 31);
  if (code.charAt(10) !== expected) return 'check_character';
  return null;
}

export type IbanError = 'format' | 'country_format' | 'checksum';

// Lengths of the countries Finnish clients' accounts are usually in; others are left to the server.
const ibanLengths: Record<string, number> = {
  FI: 18,
  SE: 24,
  NO: 15,
  DK: 18,
  EE: 20,
  DE: 22,
  AX: 18,
  FR: 27,
  ES: 24,
  NL: 18,
  GB: 22,
  PL: 28,
  LT: 20,
  LV: 21,
};

/** Checks an IBAN by ISO 13616 (spaces and lower case accepted): shape, country length, mod-97. */
export function checkIban(input: string): IbanError | null {
  const iban = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) return 'format';
  const expectedLength = ibanLengths[iban.slice(0, 2)];
  if (expectedLength !== undefined && iban.length !== expectedLength) return 'country_format';
  if (iban.startsWith('FI') && !/^FI\d{16}$/.test(iban)) return 'country_format';
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1 ? null : 'checksum';
}

/** An IBAN in groups of four, as people read it: `FI21 1234 5600 0007 85`. */
export function formatIban(input: string): string {
  return input
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})/g, '$1 ')
    .trim();
}
