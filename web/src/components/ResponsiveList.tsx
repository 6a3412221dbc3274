import { Card, Stack, Table } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';

/** One column of the wide table: its heading and what each row shows in it. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (item: T) => ReactNode;
  readonly style?: CSSProperties;
}

export interface ResponsiveListProps<T> {
  /** The accessible name of both the table and the list of cards. */
  readonly label: string;
  readonly items: readonly T[];
  /** A stable key, and each card's accessible name unless `nameOf` gives one. */
  readonly keyOf: (item: T) => string;
  readonly nameOf?: (item: T) => string;
  readonly columns: readonly Column<T>[];
  /** What one card shows on a phone. */
  readonly card: (item: T) => ReactNode;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  readonly minWidth?: number;
}

/**
 * Records as a table on wide screens and as cards on a phone, where a table of many
 * columns cannot be read: one list, two layouts, both named for assistive technology.
 */
export function ResponsiveList<T>({
  label,
  items,
  keyOf,
  nameOf = keyOf,
  columns,
  card,
  minWidth = 720,
}: ResponsiveListProps<T>) {
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} visibleFrom="sm">
        <Table striped highlightOnHover aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.header}>{column.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={keyOf(item)}>
                {columns.map((column) => (
                  <Table.Td key={column.header} style={column.style}>
                    {column.cell(item)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack
        gap="sm"
        hiddenFrom="sm"
        component="ul"
        aria-label={label}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {items.map((item) => (
          <Card key={keyOf(item)} component="li" withBorder padding="sm" aria-label={nameOf(item)}>
            {card(item)}
          </Card>
        ))}
      </Stack>
    </>
  );
}
