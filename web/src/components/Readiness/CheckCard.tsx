import { Card, Code, Group, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { ReadinessCheck } from '../../api/types';
import { checkLabel, formatLatency, statusTone, TONE_COLORS } from './status';
import { StatusBadge } from './StatusBadge';

/** One dependency: its name, status, what it said and how long it took. */
export function CheckCard({ check }: { readonly check: ReadinessCheck }) {
  const headingId = useId();
  const color = TONE_COLORS[statusTone(check.status)];
  return (
    <Card
      component="li"
      withBorder
      padding="md"
      aria-labelledby={headingId}
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-filled)` }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <div>
          <Title order={3} size="h5" id={headingId}>
            {checkLabel(check.name)}
          </Title>
          <Code fz="xs">{check.name}</Code>
        </div>
        <StatusBadge status={check.status} />
      </Group>
      <Text size="sm" mt="sm" c={check.detail ? undefined : 'dimmed'} style={{ wordBreak: 'break-word' }}>
        {check.detail ?? 'No detail'}
      </Text>
      <Text size="xs" c="dimmed" mt={6}>
        Answered in {formatLatency(check.latency_ms)}
      </Text>
    </Card>
  );
}
