import { describe, expect, it } from 'vitest';

import { checkIban, checkIdentityCode, formatIban } from './validation';

describe('checkIdentityCode', () => {
  it.each(['131052-308T', '010594Y9032', '010594Y9021', '020594X903P', '020594X902N', '010516B903X', '010516A902W'])(
    'accepts %s',
    (code) => {
      expect(checkIdentityCode(code)).toBeNull();
    },
  );

  it('accepts lower case and surrounding spaces', () => {
    expect(checkIdentityCode(' 131052-308t ')).toBeNull();
  });

  it.each([
    ['131052-308', 'format'],
    ['13105A-308T', 'format'],
    ['131052G308T', 'century_sign'],
    ['310252-308T', 'date'],
    ['290201-308T', 'date'],
    ['131052-001T', 'individual_number'],
    ['131052-308U', 'check_character'],
  ] as const)('rejects %s as %s', (code, error) => {
    expect(checkIdentityCode(code)).toBe(error);
  });

  it('knows leap years by century', () => {
    expect(checkIdentityCode('290200A9035')).not.toBe('date');
    expect(checkIdentityCode('290200-9035')).toBe('date');
  });
});

describe('checkIban', () => {
  it.each(['FI21 1234 5600 0007 85', 'fi2112345600000785', 'SE45 5000 0000 0583 9825 7466', 'DE89 3704 0044 0532 0130 00'])(
    'accepts %s',
    (iban) => {
      expect(checkIban(iban)).toBeNull();
    },
  );

  it.each([
    ['FI2112345600000786', 'checksum'],
    ['FI211234560000078', 'country_format'],
    ['FI21123456000007AB', 'country_format'],
    ['1234', 'format'],
    ['', 'format'],
  ] as const)('rejects %s as %s', (iban, error) => {
    expect(checkIban(iban)).toBe(error);
  });

  it('formats in groups of four', () => {
    expect(formatIban('fi2112345600000785')).toBe('FI21 1234 5600 0007 85');
  });
});
