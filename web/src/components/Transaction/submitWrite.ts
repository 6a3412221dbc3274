/**
 * Every write of the app goes through `submitWrite`: it posts the write and, when the
 * person keeps their signing key in this browser (the API answers `signature_required`),
 * signs the proposal and the transaction here before handing back the transaction.
 */
import { useApi } from '../../api/ApiContext';
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useAuth } from '../../auth/AuthContext';
import { completeSignedWrite, SigningError, type WriteAnswer } from '../../crypto/sign';
import type { Transaction } from './transaction';

/** Who writes: the API client, and the signed-in person whose browser key may sign. */
export interface Writer {
  readonly api: ApiClient;
  /** The person's OIDC subject, which names their key in this browser. */
  readonly subject: string | null;
}

/** A write the ledger has taken: its transaction, and whether this browser signed it. */
export interface SubmittedWrite {
  readonly transaction: Transaction;
  readonly signedInBrowser: boolean;
}

/** One openapi-fetch call's result, as a write endpoint gives it. */
export interface WriteResult {
  readonly data?: WriteAnswer;
  readonly error?: unknown;
  readonly response: Response;
}

/** Posts one write with the given client. */
export type WriteCall = (api: ApiClient) => Promise<WriteResult>;

export interface SubmitWriteOptions {
  /** The Idempotency-Key the write was sent with, for the signed transaction too. */
  readonly idempotencyKey?: string;
}

/** The writer of the signed-in person. */
export function useWriter(): Writer {
  const api = useApi();
  const { user } = useAuth();
  return { api, subject: user?.profile.sub ?? null };
}

/**
 * Posts a write with `call` and, if it must be signed in this browser, signs it.
 * Throws `ApiError` when the API says no, `SigningError` when this browser cannot sign.
 */
export async function submitWrite(
  writer: Writer,
  path: string,
  call: WriteCall,
  options: SubmitWriteOptions = {},
): Promise<SubmittedWrite> {
  const { data, error, response } = await send(path, () => call(writer.api));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(path, response, error);
  if (data.status !== 'signature_required') return { transaction: data, signedInBrowser: false };
  if (writer.subject === null) throw new SigningError('no-key');
  const transaction = await completeSignedWrite(writer.api, writer.subject, data, options);
  return { transaction, signedInBrowser: true };
}
