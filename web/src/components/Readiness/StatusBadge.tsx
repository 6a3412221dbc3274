import { Badge, type MantineSize } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { statusTone, TONE_COLORS } from './status';

const ICONS = { ok: IconCircleCheck, fail: IconCircleX, other: IconAlertTriangle } as const;

/** A status word with its color and icon, so color is never the only signal. */
export function StatusBadge({
  status,
  size = 'md',
}: {
  readonly status: string;
  readonly size?: MantineSize;
}) {
  const tone = statusTone(status);
  const StatusIcon = ICONS[tone];
  return (
    <Badge
      color={TONE_COLORS[tone]}
      variant="light"
      size={size}
      leftSection={<StatusIcon size={14} aria-hidden />}
      tt="none"
    >
      {status}
    </Badge>
  );
}
