import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { SigningError, type SigningFailure } from '../../crypto/sign';
import { ErrorState } from '../ErrorState';

/** What happened when this browser could not sign, and why, for a person. */
const WHY: Readonly<Record<SigningFailure, string>> = {
  'no-key':
    'Your changes are signed with a key kept in this browser, and it is gone: its storage may ' +
    'have been cleared, or this is another browser or device. Nothing was recorded.',
  storage:
    'The browser would not read its key storage or sign with your key, as can happen in a ' +
    'private window or when storage is blocked for this site. Nothing was recorded.',
  refused:
    'The key in this browser is not the one your ledger identity names, for instance after ' +
    'you enrolled a key in another browser. Nothing was recorded.',
};

export interface WriteErrorProps {
  readonly error: unknown;
  /** What failed, e.g. "The certificate was not issued". */
  readonly heading: string;
}

/**
 * Why a write failed. When this browser could not sign it, the one thing to do is to
 * enroll a key again on the profile page, so that is the action offered.
 */
export function WriteError({ error, heading }: WriteErrorProps) {
  if (!(error instanceof SigningError)) return <ErrorState error={error} heading={heading} />;
  return (
    <Alert role="alert" color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={heading}>
      <Stack gap="xs" align="flex-start">
        <Text fw={600} size="sm">
          {error.message}
        </Text>
        <Text size="sm">{WHY[error.reason]}</Text>
        <Button component={Link} to="/profile" size="xs" variant="filled" color="red.9">
          Enroll again in your profile
        </Button>
      </Stack>
    </Alert>
  );
}
