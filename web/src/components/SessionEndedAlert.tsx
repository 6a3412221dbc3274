import { Alert, Group, Text } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { useAuth } from '../auth/AuthContext';
import { SignInButton } from './SignInButton';

const asSentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Says so when a session ended on its own (token refused or expired), with a way back in. */
export function SessionEndedAlert() {
  const { sessionEnded, sessionEndReason, status } = useAuth();
  if (!sessionEnded || status !== 'signed-out') return null;
  return (
    <Alert
      role="alert"
      color="yellow"
      variant="light"
      icon={<IconClockExclamation aria-hidden />}
      title="Your session has ended"
      mb="lg"
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm">
          {asSentence(sessionEndReason ?? 'Provena no longer accepts your sign-in')} Sign in again to
          continue.
        </Text>
        <SignInButton label="Sign in again" size="xs" variant="light" color="yellow" />
      </Group>
    </Alert>
  );
}
