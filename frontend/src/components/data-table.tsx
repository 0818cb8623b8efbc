import { Table, type TableProps } from '@mantine/core';
import type { Key, ReactNode } from 'react';

/** One column of a {@link DataTable}. */
export interface Column<T> {
  /** The column's heading (`<th scope="col">`). */
  header: ReactNode;
  /** What a row shows in this column. */
  cell: (row: T) => ReactNode;
  /** The cell names its row (`<th scope="row">`), as a person's name does; at most one column. */
  rowHeader?: boolean;
  /** `end` for figures, heading and cells alike. */
  align?: 'end';
  /** The column's cell in the footer row (totals); the table has that row if a column has a footer. */
  footer?: ReactNode;
  /** The footer cell in bold (a sum, unlike a rate beside it). */
  strongFooter?: boolean;
}

interface DataTableProps<T> extends Omit<TableProps, 'data' | 'children'> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /** A caption above the table, naming it for screen readers and all. */
  caption?: ReactNode;
  /** `data-` attributes of a row (a status to style or test by). */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
}

/** A striped table of rows, one column a field: the shape of Polku's lists. */
export function DataTable<T>({ columns, rows, rowKey, minWidth, caption, rowAttributes, striped = true, ...table }: DataTableProps<T>) {
  const hasFooter = columns.some((column) => column.footer !== undefined);
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped={striped} {...table}>
        {caption !== undefined && <caption style={{ captionSide: 'top', textAlign: 'start' }}>{caption}</caption>}
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              <Table.Th key={index} scope="col" ta={column.align}>
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((column, index) =>
                column.rowHeader ? (
                  <Table.Th key={index} scope="row" fw="normal">
                    {column.cell(row)}
                  </Table.Th>
                ) : (
                  <Table.Td key={index} ta={column.align}>
                    {column.cell(row)}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {hasFooter && (
          <Table.Tfoot>
            <Table.Tr>
              {columns.map((column, index) =>
                column.rowHeader ? (
                  <Table.Th key={index} scope="row">
                    {column.footer}
                  </Table.Th>
                ) : (
                  <Table.Td key={index} ta={column.align} fw={column.strongFooter ? 600 : undefined}>
                    {column.footer}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}
