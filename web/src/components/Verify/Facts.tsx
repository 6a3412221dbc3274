import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Fact {
  readonly label: string;
  readonly value: ReactNode;
  /** Shown in monospace and allowed to wrap anywhere (ids, hashes). */
  readonly mono?: boolean;
}

/** Label/value pairs as a description list, two columns where there is room. */
export function Facts({ facts }: { readonly facts: readonly Fact[] }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="xs" m={0}>
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
