import { List, Text } from '@mantine/core';

export interface Line {
  readonly label: string;
  readonly value: string;
}

/** Label: value lines, as a named list that wraps long values (URLs, paths) anywhere. */
export function Lines({ lines, label }: { readonly lines: readonly Line[]; readonly label: string }) {
  return (
    <List spacing={4} size="sm" listStyleType="none" aria-label={label}>
      {lines.map(({ label: name, value }) => (
        <List.Item key={name}>
          <Text span fw={600} size="sm">
            {name}:
          </Text>{' '}
          <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
            {value}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
