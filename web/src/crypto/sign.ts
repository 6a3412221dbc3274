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

/** Why this browser could not sign. */
export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/** The base64 P-256 signature (r||s) of `messageBase64` by the person's key in this browser. */
export async function signMessage(subject: string, messageBase64: string): Promise<string> {
  const keys = await loadKeyPair(subject);
  if (keys === null) {
    throw new SigningError('this browser holds no signing key for you: enroll one on your profile');
  }
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    keys.privateKey,
    fromBase64(messageBase64),
  );
  return toBase64(new Uint8Array(signature));
}

/**
 * Sign what the API hands out until the write is a transaction (proposal, then
 * transaction) and return that answer: pending, or committed with `Prefer: wait`.
 */
export async function completeSignedWrite(
  client: ApiClient,
  subject: string,
  answer: WriteAnswer,
  options: { readonly wait?: number } = {},
): Promise<TransactionAnswer> {
  let current = answer;
  while (current.status === 'signature_required') {
    const { tx_id, stage, data, message } = current;
    const body = { stage, data, signature: await signMessage(subject, message) };
    const header = options.wait === undefined ? {} : { prefer: `wait=${options.wait}` };
    const {
      data: next,
      error,
      response,
    } = await send(SIGNATURES, () => client.POST(SIGNATURES, { params: { path: { tx_id }, header }, body }));
    if (!response.ok || next === undefined) throw ApiError.fromResponse(SIGNATURES, response, error);
    current = next;
  }
  return current;
}
