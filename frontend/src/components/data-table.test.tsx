import { screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/testing/test-utils';

import { DataTable } from './data-table';

const rows = [
  { id: 'a', name: 'Mäkinen, Aino', days: 6, status: 'active' },
  { id: 'b', name: 'Virtanen, Eero', days: 4, status: 'closed' },
];

describe('a data table', () => {
  it('heads its columns, names each row by its row header and sums in the footer', async () => {
    renderWithProviders(
      <DataTable
        minWidth={480}
        caption="Päivät"
        rows={rows}
        rowKey={(row) => row.id}
        rowAttributes={(row) => ({ 'data-status': row.status })}
        columns={[
          { header: 'Nimi', rowHeader: true, cell: (row) => row.name, footer: 'Yhteensä' },
          { header: 'Päiviä', align: 'end', cell: (row) => row.days, footer: 10, strongFooter: true },
        ]}
      />,
    );

    const table = screen.getByRole('table', { name: 'Päivät' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Nimi', 'Päiviä']);
    const aino = within(table).getByRole('row', { name: /Mäkinen, Aino/ });
    expect(within(aino).getByRole('rowheader')).toHaveTextContent('Mäkinen, Aino');
    expect(within(aino).getByRole('cell')).toHaveTextContent('6');
    expect(aino).toHaveAttribute('data-status', 'active');
    const footer = within(table).getByRole('row', { name: /Yhteensä/ });
    expect(within(footer).getByRole('rowheader')).toHaveTextContent('Yhteensä');
    expect(within(footer).getByRole('cell')).toHaveTextContent('10');
    const results = await axe.run(table);
    expect(results.violations).toEqual([]);
  });

  it('has no footer row when no column sums', () => {
    renderWithProviders(
      <DataTable minWidth={480} aria-label="Asiakkaat" rows={rows} rowKey={(row) => row.id} columns={[{ header: 'Nimi', cell: (row) => row.name }]} />,
    );
    const table = screen.getByRole('table', { name: 'Asiakkaat' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).queryByRole('rowheader')).not.toBeInTheDocument();
  });
});
