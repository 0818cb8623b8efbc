import { describe, expect, it } from 'vitest';

import { checkLength, estimateScore, userInputs, validateNewPassword } from './password-policy';

describe('the password policy in the browser', () => {
  it('counts characters as the server does (code points), 12 to 128', () => {
    expect(checkLength('')).toBe('required');
    expect(checkLength('ääääääääääö')).toBe('too_short'); // 11 letters, 22 bytes
    expect(checkLength('ääääääääääöö')).toBeNull();
    expect(checkLength('x'.repeat(128))).toBeNull();
    expect(checkLength('x'.repeat(129))).toBe('too_long');
  });

  it('asks for the repetition and that it matches', () => {
    expect(validateNewPassword({ new_password: '', new_password_repeat: '' })).toEqual({
      new_password: 'required',
      new_password_repeat: 'required',
    });
    expect(validateNewPassword({ new_password: 'lyhyt', new_password_repeat: 'lyhyt' })).toEqual({ new_password: 'too_short' });
    expect(validateNewPassword({ new_password: 'korppi vaeltaa sumussa', new_password_repeat: 'korppi vaeltaa sumusa' })).toEqual({
      new_password_repeat: 'mismatch',
    });
    expect(validateNewPassword({ new_password: 'korppi vaeltaa sumussa', new_password_repeat: 'korppi vaeltaa sumussa' })).toEqual({});
  });

  it("counts the user's name and email, whole and in parts, against the password", async () => {
    const inputs = userInputs('aino.virtanen@kunta.fi', 'Aino Virtanen');
    expect(inputs).toEqual(expect.arrayContaining(['aino.virtanen@kunta.fi', 'Aino Virtanen', 'aino', 'virtanen', 'kunta', 'salasana']));
    expect(inputs).not.toContain('fi');
    // The name makes a weak password; unrelated words a strong one.
    expect(await estimateScore('AinoVirtanen', inputs)).toBeLessThan(3);
    expect(await estimateScore('korppi vaeltaa hiljaa sumussa', inputs)).toBeGreaterThanOrEqual(3);
  });
});
