import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Fact {
  readonly label: string;
  readonly value: ReactNode;
  /** Shown in monospace and allowed to wrap anywhere (ids, hashes). */
  readonly mono?: boolean;
}

/** Label/value pairs as a description list, two columns where there is room (or `columns`). */
export function Facts({ facts, columns = 2 }: { readonly facts: readonly Fact[]; readonly columns?: 1 | 2 }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: columns }} spacing="md" verticalSpacing="xs" m={0}>
      {facts.map(({ label, value, mono }) => (
        <Stack key={label} gap={0}>
          <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text component="dd" m={0} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {mono === true ? <Code>{value}</Code> : value}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
