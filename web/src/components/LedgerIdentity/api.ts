/** The signed-in person's Fabric identity, and enrolling a key held in this browser. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/schema';

export type LedgerIdentity = components['schemas']['LedgerIdentityPublic'];

const PATH = '/api/v1/me/ledger-identity';

export const ledgerIdentityKey = (subject: string) => ['me', subject, 'ledger-identity'] as const;

export async function fetchLedgerIdentity(client: ApiClient): Promise<LedgerIdentity> {
  const { data, error, response } = await send(PATH, () => client.GET(PATH));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PATH, response, error);
  return data;
}

export async function enrollBrowserKey(client: ApiClient, csrPem: string): Promise<LedgerIdentity> {
  const { data, error, response } = await send(PATH, () => client.POST(PATH, { body: { csr_pem: csrPem } }));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PATH, response, error);
  return data;
}
