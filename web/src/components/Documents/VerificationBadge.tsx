import { Alert, Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { Verification } from './useVerifiedBytes';

function kib(bytes: number): string {
  return `${(bytes / 1024).toLocaleString(undefined, { maximumFractionDigits: 0 })} KiB`;
}

/** Where the browser's own check stands: progress, verified, or why it failed. */
export function VerificationBadge({ state, size }: { readonly state: Verification; readonly size: number }) {
  switch (state.phase) {
    case 'downloading':
    case 'checking': {
      const [label, value] =
        state.phase === 'downloading'
          ? [
              `Downloading blocks: ${kib(state.received)}`,
              Math.min(100, (state.received / Math.max(size, 1)) * 100),
            ]
          : [`Checking block ${state.verified} of ${state.total}`, (state.verified / state.total) * 100];
      return (
        <Stack gap={4} role="status" aria-live="polite">
          <Text size="sm">Verifying in this browser… {label}</Text>
          <Progress value={value} aria-label="Verification progress" animated />
        </Stack>
      );
    }
    case 'failed':
      return (
        <Alert
          role="status"
          color="red"
          variant="light"
          icon={<IconShieldX aria-hidden />}
          title={`Verification failed: ${state.reason}`}
        >
          The content is not shown: these bytes are not the document the record names.
        </Alert>
      );
    case 'verified':
      return (
        <Group gap="xs" role="status">
          <Badge color="teal" size="lg" leftSection={<IconShieldCheck size={16} aria-hidden />}>
            Verified in this browser
          </Badge>
          <Text size="sm" c="dimmed">
            Every block matched its hash and the file matched its SHA-256.
          </Text>
        </Group>
      );
  }
}
