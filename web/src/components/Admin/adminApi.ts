/** The administration endpoints: access, accreditations, people; and the registry's writes. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import type { Transaction } from '../Transaction/transaction';

type Schemas = components['schemas'];
export type AdminAccess = Schemas['AdminAccess'];
export type Accreditation = Schemas['AccreditationPublic'];
export type SchemeAccreditation = Schemas['SchemeAccreditation'];
export type Person = Schemas['PersonPublic'];
export type PersonIdentity = Schemas['PersonIdentity'];
export type AccreditCertifier = Schemas['AccreditCertifier'];

export const adminKeys = {
  all: ['admin'] as const,
  access: (subject: string | null) => ['admin', 'access', subject] as const,
  accreditations: ['admin', 'accreditations'] as const,
  people: ['admin', 'people'] as const,
};

const ACCESS = '/api/v1/admin/access';
const ACCREDITATIONS = '/api/v1/admin/accreditations';
const PEOPLE = '/api/v1/admin/people';
const ACCREDIT = '/api/v1/registry/accreditations';
const WITHDRAW = '/api/v1/registry/accreditations/{msp_id}/{scheme}';

type WriteAnswer = paths[typeof ACCREDIT]['post']['responses'][202]['content']['application/json'];

export async function fetchAccess(client: ApiClient): Promise<AdminAccess> {
  const { data, error, response } = await send(ACCESS, () => client.GET(ACCESS));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(ACCESS, response, error);
  return data;
}

export async function fetchAccreditations(client: ApiClient): Promise<readonly Accreditation[]> {
  const { data, error, response } = await send(ACCREDITATIONS, () => client.GET(ACCREDITATIONS));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(ACCREDITATIONS, response, error);
  return data.data;
}

export async function fetchPeople(client: ApiClient): Promise<readonly Person[]> {
  const { data, error, response } = await send(PEOPLE, () => client.GET(PEOPLE));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PEOPLE, response, error);
  return data.data;
}

/** The write's transaction; a key held in the browser needs a signature these screens cannot give. */
function submitted(path: string, answer: WriteAnswer): Transaction {
  if (answer.status === 'signature_required') {
    throw new ApiError(
      'This change must be signed with the key held in your browser, which this screen cannot do yet.',
      { kind: 'invalid', path, status: 202 },
    );
  }
  return answer;
}

export async function accredit(client: ApiClient, body: AccreditCertifier): Promise<Transaction> {
  const { data, error, response } = await send(ACCREDIT, () => client.POST(ACCREDIT, { body }));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(ACCREDIT, response, error);
  return submitted(ACCREDIT, data);
}

export async function withdraw(client: ApiClient, mspId: string, scheme: string): Promise<Transaction> {
  const { data, error, response } = await send(WITHDRAW, () =>
    client.DELETE(WITHDRAW, { params: { path: { msp_id: mspId, scheme } } }),
  );
  if (!response.ok || data === undefined) throw ApiError.fromResponse(WITHDRAW, response, error);
  return submitted(WITHDRAW, data);
}
