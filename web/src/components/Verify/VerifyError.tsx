import { Alert } from '@mantine/core';
import { IconClockPause, IconQuestionMark } from '@tabler/icons-react';
import { ApiError } from '../../api/errors';
import { ErrorState } from '../ErrorState';
import { RateLimitedError } from './verifyApi';

export interface VerifyErrorProps {
  readonly error: unknown;
  /** "certificate" or "shipment", for the unknown-id message. */
  readonly kind: string;
  readonly id: string;
}

/** Why a check has no answer: an id the ledger does not know, too many checks, or else. */
export function VerifyError({ error, kind, id }: VerifyErrorProps) {
  if (error instanceof RateLimitedError) {
    return (
      <Alert role="alert" color="orange" icon={<IconClockPause aria-hidden />} title="Too many checks">
        Too many checks, try again in {error.retryAfterSeconds} s.
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Alert role="alert" color="gray" icon={<IconQuestionMark aria-hidden />} title={`Unknown ${kind}`}>
        No {kind} with the id “{id}” is recorded on the ledger. Check the id and try again.
      </Alert>
    );
  }
  return <ErrorState error={error} heading={`The ${kind} could not be checked`} />;
}
