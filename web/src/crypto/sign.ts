/**
 * Signing writes in this browser. The API answers a write of a person whose key lives here
 * with `signature_required`: the proposal, then the transaction. Each carries `message`,
 * the exact bytes the signature covers (its SHA-256 is `digest`). WebCrypto's ECDSA hashes
 * its input itself, so it signs the message, not the digest; it gives r||s, which the API
 * turns into the low-S DER Fabric wants.
 */
import { send, type ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { paths } from '../api/schema';
import { fromBase64, toBase64 } from './base64';
import { loadKeyPair } from './keyStore';

const SIGNATURES = '/api/v1/transactions/{tx_id}/signatures';
export type WriteAnswer = paths[typeof SIGNATURES]['post']['responses'][202]['content']['application/json'];
export type SignatureRequired = Extract<WriteAnswer, { status: 'signature_required' }>;
export type TransactionAnswer = Exclude<WriteAnswer, SignatureRequired>;

/**
 * Why this browser could not sign:
 *
 *   no-key   it holds no key for the person (storage cleared, another browser or device)
 *   storage  it would not read its key storage, or would not sign with the key
 *   refused  the API refused the signature (the key is not the one the ledger knows)
 */
export type SigningFailure = 'no-key' | 'storage' | 'refused';

const MESSAGES: Readonly<Record<SigningFailure, string>> = {
  'no-key': 'Your signing key is not in this browser any more.',
  storage: 'This browser could not use your signing key.',
  refused: 'Provena refused the signature made in this browser.',
};

/** This browser could not sign a write; `reason` says why, the message says it in words. */
export class SigningError extends Error {
  override readonly name = 'SigningError';
  readonly reason: SigningFailure;

  constructor(reason: SigningFailure, options: { readonly cause?: unknown } = {}) {
    super(MESSAGES[reason], { cause: options.cause });
    this.reason = reason;
  }
}

/** Runs one step of signing, turning whatever the browser throws into `SigningError('storage')`. */
async function inBrowser<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new SigningError('storage', { cause: error });
  }
}

/** The base64 P-256 signature (r||s) of `messageBase64` by the person's key in this browser. */
export async function signMessage(subject: string, messageBase64: string): Promise<string> {
  const keys = await inBrowser(() => loadKeyPair(subject));
  if (keys === null) throw new SigningError('no-key');
  const signature = await inBrowser(() =>
    crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, fromBase64(messageBase64)),
  );
  return toBase64(new Uint8Array(signature));
}

export interface SignedWriteOptions {
  /** `Prefer: wait=N`: let the API wait up to N seconds for the commit. */
  readonly wait?: number;
  /** The write's Idempotency-Key: a retried write is then recorded once. */
  readonly idempotencyKey?: string;
}

function headers(options: SignedWriteOptions): { prefer?: string; 'idempotency-key'?: string } {
  return {
    ...(options.wait === undefined ? {} : { prefer: `wait=${String(options.wait)}` }),
    ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
  };
}

/**
 * Sign what the API hands out until the write is a transaction (proposal, then
 * transaction) and return that answer: pending, or committed with `Prefer: wait`.
 * The API refusing a signature (400) is a `SigningError('refused')`.
 */
export async function completeSignedWrite(
  client: ApiClient,
  subject: string,
  answer: WriteAnswer,
  options: SignedWriteOptions = {},
): Promise<TransactionAnswer> {
  let current = answer;
  while (current.status === 'signature_required') {
    const { tx_id, stage, data, message } = current;
    const body = { stage, data, signature: await signMessage(subject, message) };
    const header = headers(options);
    const {
      data: next,
      error,
      response,
    } = await send(SIGNATURES, () => client.POST(SIGNATURES, { params: { path: { tx_id }, header }, body }));
    if (response.status === 400) {
      throw new SigningError('refused', { cause: ApiError.fromResponse(SIGNATURES, response, error) });
    }
    if (!response.ok || next === undefined) throw ApiError.fromResponse(SIGNATURES, response, error);
    current = next;
  }
  return current;
}
