/** The administration endpoints: access, accreditations, people; and the registry's writes. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/schema';
import { submitWrite, type SubmittedWrite, type Writer } from '../Transaction/submitWrite';

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

export function accredit(writer: Writer, body: AccreditCertifier): Promise<SubmittedWrite> {
  return submitWrite(writer, ACCREDIT, (api) => api.POST(ACCREDIT, { body }));
}

export function withdraw(writer: Writer, mspId: string, scheme: string): Promise<SubmittedWrite> {
  return submitWrite(writer, WITHDRAW, (api) =>
    api.DELETE(WITHDRAW, { params: { path: { msp_id: mspId, scheme } } }),
  );
}
