import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/testing/test-utils';

import { DateField, parseFinnishDate } from './date-field';

function Field({ initial, onValue }: { initial: string; onValue: (value: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <DateField
      label="Päivä"
      value={value}
      onChange={(next) => {
        setValue(next);
        onValue(next);
      }}
    />
  );
}

describe('Finnish dates', () => {
  it.each([
    ['3.12.2026', '2026-12-03'],
    ['03.01.1990', '1990-01-03'],
    [' 29.2.2024 ', '2024-02-29'],
    ['2026-12-03', '2026-12-03'],
  ])('reads %s as %s', (typed, day) => {
    expect(parseFinnishDate(typed)).toBe(day);
  });

  it.each(['31.2.2026', '29.2.2025', '12/03/2026', '3.12', ''])('refuses %s', (typed) => {
    expect(parseFinnishDate(typed)).toBeNull();
  });

  it('shows a day as d.M.yyyy and takes one typed so', async () => {
    const values: string[] = [];
    const user = userEvent.setup();
    renderWithProviders(<Field initial="2026-12-03" onValue={(value) => values.push(value)} />);
    const input = screen.getByLabelText('Päivä');
    expect(input).toHaveValue('3.12.2026');

    await user.clear(input);
    await user.type(input, '24.6.2027');
    await user.tab();
    expect(values.at(-1)).toBe('2027-06-24');
    expect(input).toHaveValue('24.6.2027');

    // Erased, an optional date is no date.
    await user.clear(input);
    await user.tab();
    expect(values.at(-1)).toBe('');
  });
});
