/**
 * The public verification calls. They need no sign-in and are rate limited per client:
 * a 429 becomes a `RateLimitedError` that says how long to wait, read from Retry-After.
 */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { paths } from '../../api/schema';

type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type CertificateVerification = JsonBody<
  paths['/api/v1/verify/certificates/{id}']['get']['responses'][200]
>;
export type ShipmentVerification = JsonBody<paths['/api/v1/verify/shipments/{id}']['get']['responses'][200]>;
export type FileVerification = JsonBody<paths['/api/v1/verify/files']['get']['responses'][200]>;
export type DocumentView = CertificateVerification['documents'][number];
export type PublicProof = CertificateVerification['proof'];

/** The API refused a check because this client asked too often. */
export class RateLimitedError extends ApiError {
  /** Seconds to wait before the next check, as the API said. */
  readonly retryAfterSeconds: number;

  constructor(path: string, retryAfterSeconds: number) {
    super(`Too many checks, try again in ${String(retryAfterSeconds)} s.`, {
      kind: 'http',
      path,
      status: 429,
    });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function answer<T>(path: string, result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (response.status === 429) {
    const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new RateLimitedError(path, Number.isFinite(seconds) && seconds > 0 ? seconds : 60);
  }
  if (!response.ok || data === undefined) throw ApiError.fromResponse(path, response, error);
  return data;
}

export async function verifyCertificate(
  client: ApiClient,
  id: string,
  at: string | null,
): Promise<CertificateVerification> {
  const path = '/api/v1/verify/certificates/{id}';
  const query = at === null ? {} : { at };
  return answer(path, await send(path, () => client.GET(path, { params: { path: { id }, query } })));
}

export async function verifyShipment(client: ApiClient, id: string): Promise<ShipmentVerification> {
  const path = '/api/v1/verify/shipments/{id}';
  return answer(path, await send(path, () => client.GET(path, { params: { path: { id } } })));
}

/** Which records anchor the file whose SHA-256 is `sha256`; only the hash leaves the browser. */
export async function verifyFileHash(client: ApiClient, sha256: string): Promise<FileVerification> {
  const path = '/api/v1/verify/files';
  return answer(path, await send(path, () => client.GET(path, { params: { query: { sha256 } } })));
}
