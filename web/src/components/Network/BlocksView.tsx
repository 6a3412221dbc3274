import { Badge, Code, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { formatDateTime } from '../Verify/format';
import type { BlockView } from './networkApi';
import { describeValidation } from './validation';

export interface BlocksViewProps {
  readonly blocks: readonly BlockView[];
  /** A transaction id to highlight and scroll to. */
  readonly highlight: string | null;
}

/** Recent blocks, newest first, with each transaction's validation in words. */
export function BlocksView({ blocks, highlight }: BlocksViewProps) {
  const marked = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    marked.current?.scrollIntoView({ block: 'center' });
  }, [highlight, blocks]);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label="Recent blocks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Block</Table.Th>
            <Table.Th>Transaction</Table.Th>
            <Table.Th>Submitted by</Table.Th>
            <Table.Th>Validation</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {blocks.flatMap((block) => {
            const head = (
              <Text size="sm" fw={600}>
                #{block.number}
                <Text span size="xs" c="dimmed" display="block">
                  {formatDateTime(block.timestamp)}
                </Text>
              </Text>
            );
            if (block.transactions.length === 0) {
              return [
                <Table.Tr key={`b${String(block.number)}`}>
                  <Table.Td>{head}</Table.Td>
                  <Table.Td colSpan={3}>
                    <Text size="sm" c="dimmed">
                      No transactions (configuration block)
                    </Text>
                  </Table.Td>
                </Table.Tr>,
              ];
            }
            return block.transactions.map((tx, index) => {
              const valid = tx.validation_code === 'VALID';
              const isMarked = tx.tx_id === highlight;
              return (
                <Table.Tr
                  key={tx.tx_id}
                  ref={isMarked ? marked : undefined}
                  aria-current={isMarked ? 'true' : undefined}
                  bg={isMarked ? 'var(--mantine-color-yellow-light)' : undefined}
                >
                  <Table.Td>{index === 0 ? head : null}</Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{tx.function ?? 'transaction'}</Text>
                      <Tooltip label={tx.tx_id}>
                        <Code style={{ width: 'fit-content' }}>{tx.tx_id.slice(0, 16)}…</Code>
                      </Tooltip>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{tx.creator_msp_id}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={valid ? 'green' : 'red'} variant="light">
                      {valid ? 'Valid' : 'Invalid'}
                    </Badge>
                    {!valid && (
                      <Text size="xs" c="red.8">
                        {describeValidation(tx.validation_code)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            });
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
