import { Group, Paper, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { Readiness } from '../../api/types';
import { statusTone, TONE_COLORS } from './status';
import { StatusBadge } from './StatusBadge';

const ICONS = { ok: IconCircleCheck, fail: IconCircleX, other: IconAlertTriangle } as const;

function headline(readiness: Readiness): string {
  const total = readiness.checks.length;
  const failing = readiness.checks.filter((check) => check.status !== 'ok').length;
  if (readiness.status === 'ok') return 'All systems operational';
  if (failing > 0)
    return `${String(failing)} of ${String(total)} ${total === 1 ? 'check' : 'checks'} failing`;
  return `Not ready (${readiness.status})`;
}

export interface OverallStatusProps {
  readonly readiness: Readiness;
  readonly updatedAt: Date;
}

/** The API's own verdict, with when it was given. */
export function OverallStatus({ readiness, updatedAt }: OverallStatusProps) {
  const tone = statusTone(readiness.status);
  const ToneIcon = ICONS[tone];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="overall-status-heading">
      <Group justify="space-between" gap="md">
        <Group gap="md" wrap="nowrap">
          <ThemeIcon size={44} radius="xl" variant="light" color={TONE_COLORS[tone]}>
            <ToneIcon size={26} aria-hidden />
          </ThemeIcon>
          <div>
            <Text id="overall-status-heading" size="sm" c="dimmed">
              Overall status
            </Text>
            <Group gap="xs">
              <Text fw={700} size="xl">
                {headline(readiness)}
              </Text>
              <StatusBadge status={readiness.status} />
            </Group>
          </div>
        </Group>
        <Text size="sm" c="dimmed">
          Last updated <time dateTime={updatedAt.toISOString()}>{updatedAt.toLocaleTimeString()}</time>
        </Text>
      </Group>
    </Paper>
  );
}
