import { Alert, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../api/errors';

export interface ErrorStateProps {
  readonly error: unknown;
  /** A line saying what failed, above the error's own title and message. */
  readonly heading?: string;
  /** Actions, e.g. a retry or sign-in button. */
  readonly children?: ReactNode;
}

/** An error explained to a person: what failed, why (the problem's detail), what to do. */
export function ErrorState({ error, heading, children }: ErrorStateProps) {
  const { title, message } = describeError(error);
  const status = error instanceof ApiError ? error.status : null;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title={heading ?? title}
    >
      <Stack gap="xs">
        {heading !== undefined && (
          <Text fw={600} size="sm">
            {title}
          </Text>
        )}
        <Text size="sm">{message}</Text>
        {status !== null && (
          <Text size="xs" c="dimmed">
            HTTP {status}
            {error instanceof ApiError && ` · ${error.path}`}
          </Text>
        )}
        {children !== undefined && <Group gap="sm">{children}</Group>}
      </Stack>
    </Alert>
  );
}
