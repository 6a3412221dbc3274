/** The certificate endpoints: the list, one certificate, and the writes on it. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import { liveKeys } from '../../live/invalidation';
import { submitWrite, type SubmittedWrite, type Writer } from '../Transaction/submitWrite';

type Schemas = components['schemas'];
export type CertificateSummary = Schemas['CertificateSummary'];
export type CertificateDetail = Schemas['CertificateDetail'];
export type CertificatePage = Schemas['Page_CertificateSummary_'];
export type IssueCertificate = Schemas['IssueCertificate'];
export type SubjectKind = Schemas['provena__contracts__model__SubjectKind'];
export type CertificateStatus = Schemas['CertificateStatus'];
export type StatusAction = 'suspend' | 'reinstate' | 'revoke';

export const SUBJECT_KINDS: readonly SubjectKind[] = ['organization', 'facility', 'product', 'lot'];
export const STATUSES: readonly CertificateStatus[] = ['ACTIVE', 'SUSPENDED', 'REVOKED'];

export type CertificateFilters = NonNullable<paths['/api/v1/certificates']['get']['parameters']['query']>;

export const certificateKeys = {
  list: (filters: CertificateFilters) => [...liveKeys.certificates, 'list', filters] as const,
  detail: (id: string) => [...liveKeys.certificates, 'detail', id] as const,
};

const LIST = '/api/v1/certificates';
const ONE = '/api/v1/certificates/{id}';
const ACTION = '/api/v1/certificates/{id}/{action}';
const DOCUMENTS = '/api/v1/certificates/{id}/documents';

export const PAGE_SIZE = 20;

export async function fetchCertificates(
  client: ApiClient,
  filters: CertificateFilters,
  cursor: string | null,
): Promise<CertificatePage> {
  const query = { ...filters, cursor, limit: PAGE_SIZE };
  const { data, error, response } = await send(LIST, () => client.GET(LIST, { params: { query } }));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(LIST, response, error);
  return data;
}

export async function fetchCertificate(client: ApiClient, id: string): Promise<CertificateDetail> {
  const { data, error, response } = await send(ONE, () => client.GET(ONE, { params: { path: { id } } }));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(ONE, response, error);
  return data;
}

export function issueCertificate(
  writer: Writer,
  body: IssueCertificate,
  idempotencyKey: string,
): Promise<SubmittedWrite> {
  const header = { 'idempotency-key': idempotencyKey };
  return submitWrite(writer, LIST, (api) => api.POST(LIST, { body, params: { header } }), { idempotencyKey });
}

export function changeCertificateStatus(
  writer: Writer,
  id: string,
  action: StatusAction,
  reason: string,
): Promise<SubmittedWrite> {
  return submitWrite(writer, ACTION, (api) =>
    api.POST(ACTION, { params: { path: { id, action } }, body: { reason } }),
  );
}

/** Anchor an uploaded document (by its CID) in certificate `id`. */
export function attachDocument(writer: Writer, id: string, cid: string): Promise<SubmittedWrite> {
  return submitWrite(writer, DOCUMENTS, (api) =>
    api.POST(DOCUMENTS, { params: { path: { id } }, body: { cid } }),
  );
}
