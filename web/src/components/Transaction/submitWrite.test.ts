import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { fromBase64, toBase64 } from '../../crypto/base64';
import { loadKeyPair } from '../../crypto/keyStore';
import { SigningError } from '../../crypto/sign';
import { json, mockFetch, problem, type RecordedRequest } from '../../test/fetchMock';
import { submitWrite, type Writer } from './submitWrite';

vi.mock('../../crypto/keyStore', () => ({ loadKeyPair: vi.fn() }));

const SUSPEND = '/api/v1/certificates/{id}/{action}';
const ROUTE = 'POST /api/v1/certificates/CERT-1/suspend';
const TX = 'cd'.repeat(32);
const SIGN = `POST /api/v1/transactions/${TX}/signatures`;
const KEY = 'write-key-1';

const pending = {
  tx_id: TX,
  status: 'pending',
  status_url: `/api/v1/transactions/${TX}`,
  function: 'SuspendCertificate',
  record_id: 'CERT-1',
  signer: 'david.okafor-2',
  block_number: null,
  validation_code: null,
} as const;

function toSign(stage: 'proposal' | 'transaction', message: string) {
  return {
    status: 'signature_required',
    stage,
    tx_id: TX,
    data: toBase64(new TextEncoder().encode(`${stage} envelope`)),
    digest: 'ignored-by-the-browser',
    message: toBase64(new TextEncoder().encode(message)),
    signature_url: `/api/v1/transactions/${TX}/signatures`,
  };
}

let keys: CryptoKeyPair;

beforeAll(async () => {
  keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
});

function writer(subject: string | null = 'david.okafor'): Writer {
  return { api: createApiClient(), subject };
}

function suspend(who: Writer = writer()) {
  return submitWrite(
    who,
    SUSPEND,
    (api) =>
      api.POST(SUSPEND, { params: { path: { id: 'CERT-1', action: 'suspend' } }, body: { reason: 'lab' } }),
    { idempotencyKey: KEY },
  );
}

/** Whether `request` carries a valid signature by `keys` over `message`. */
async function signedOver(request: RecordedRequest | undefined, message: string): Promise<boolean> {
  const body = JSON.parse(request?.body ?? '{}') as { signature: string };
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    keys.publicKey,
    fromBase64(body.signature),
    new TextEncoder().encode(message),
  );
}

describe('submitWrite', () => {
  beforeEach(() => {
    vi.mocked(loadKeyPair).mockReset().mockResolvedValue(keys);
  });

  it('hands back the transaction of a write signed by Provena, untouched', async () => {
    const network = mockFetch({ [ROUTE]: () => json(pending, 202) });
    await expect(suspend()).resolves.toEqual({ transaction: pending, signedInBrowser: false });
    expect(network.requests).toHaveLength(1);
    expect(loadKeyPair).not.toHaveBeenCalled();
  });

  it('signs the proposal, then the transaction, with the key in this browser', async () => {
    const network = mockFetch({
      [ROUTE]: () => json(toSign('proposal', 'the proposal'), 202),
      [SIGN]: (request) => {
        const { stage } = JSON.parse(request.body ?? '{}') as { stage: string };
        return stage === 'proposal'
          ? json(toSign('transaction', 'the transaction'), 202)
          : json(pending, 202);
      },
    });

    await expect(suspend()).resolves.toEqual({ transaction: pending, signedInBrowser: true });

    const [proposal, transaction] = network.calls(SIGN);
    expect(network.calls(SIGN)).toHaveLength(2);
    expect(loadKeyPair).toHaveBeenCalledWith('david.okafor');
    expect(JSON.parse(proposal?.body ?? '{}')).toMatchObject({
      stage: 'proposal',
      data: toSign('proposal', '').data,
    });
    expect(JSON.parse(transaction?.body ?? '{}')).toMatchObject({ stage: 'transaction' });
    expect(await signedOver(proposal, 'the proposal')).toBe(true);
    expect(await signedOver(transaction, 'the transaction')).toBe(true);
    expect(transaction?.headers.get('idempotency-key')).toBe(KEY);
  });

  it('says the key is gone when this browser holds none, and sends no signature', async () => {
    vi.mocked(loadKeyPair).mockResolvedValue(null);
    const network = mockFetch({ [ROUTE]: () => json(toSign('proposal', 'the proposal'), 202) });
    const failure = suspend();
    await expect(failure).rejects.toBeInstanceOf(SigningError);
    await expect(failure).rejects.toMatchObject({
      reason: 'no-key',
      message: 'Your signing key is not in this browser any more.',
    });
    expect(network.calls(SIGN)).toHaveLength(0);
  });

  it('says the key is gone when nobody is signed in to name it', async () => {
    mockFetch({ [ROUTE]: () => json(toSign('proposal', 'the proposal'), 202) });
    await expect(suspend(writer(null))).rejects.toMatchObject({ reason: 'no-key' });
    expect(loadKeyPair).not.toHaveBeenCalled();
  });

  it('says the browser could not use its key storage, not what IndexedDB threw', async () => {
    vi.mocked(loadKeyPair).mockRejectedValue(new DOMException('UnknownError: internal', 'UnknownError'));
    mockFetch({ [ROUTE]: () => json(toSign('proposal', 'the proposal'), 202) });
    await expect(suspend()).rejects.toMatchObject({
      reason: 'storage',
      message: 'This browser could not use your signing key.',
    });
  });

  it('says Provena refused the signature when the API answers 400 to it', async () => {
    mockFetch({
      [ROUTE]: () => json(toSign('proposal', 'the proposal'), 202),
      [SIGN]: () => problem(400, 'the signature does not verify against david.okafor-2', 'Bad Request'),
    });
    const failure = suspend();
    await expect(failure).rejects.toMatchObject({ reason: 'refused' });
    await expect(failure).rejects.toMatchObject({ cause: expect.any(ApiError) as unknown });
  });

  it('leaves the API’s other answers as its problem', async () => {
    mockFetch({ [ROUTE]: () => problem(409, 'certificate CERT-1 is already suspended', 'Conflict') });
    await expect(suspend()).rejects.toMatchObject({
      status: 409,
      message: 'certificate CERT-1 is already suspended',
    });
  });
});
