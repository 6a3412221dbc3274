/** The recall endpoints: what a recall would reach, the recalls recorded, recording one, exports. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { paths } from '../../api/schema';
import { liveKeys } from '../../live/invalidation';
import { submitWrite, type SubmittedWrite, type Writer } from '../Transaction/submitWrite';

type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never;

const PREVIEW = '/api/v1/recalls/preview';
const LIST = '/api/v1/recalls';
const ONE = '/api/v1/recalls/{id}';
const CSV = '/api/v1/recalls/{id}/export.csv';
const JSON_LD = '/api/v1/recalls/{id}/export.jsonld';

export type RecallPreview = JsonBody<paths[typeof PREVIEW]['get']['responses'][200]>;
export type RecallView = JsonBody<paths[typeof ONE]['get']['responses'][200]>;
export type RecallRequest = NonNullable<
  paths[typeof LIST]['post']['requestBody']
>['content']['application/json'];
export type AffectedNode = RecallPreview['affected'][number];
/** A shipment a recall would reach, as it is now. */
export type PreviewShipment = RecallPreview['shipments'][number];
/** A shipment a recorded recall reached, with who held it then. */
export type RecalledShipment = RecallView['shipments'][number];
/** What a preview and a recorded recall both say: the lots and everything they reached. */
export type RecallReach = Pick<RecallPreview, 'lots' | 'affected' | 'organizations' | 'certificates'> & {
  readonly shipments: readonly { readonly id: string }[];
};

export const recallKeys = {
  list: () => [...liveKeys.recalls, 'list'] as const,
  detail: (id: string) => [...liveKeys.recalls, 'detail', id] as const,
  /** Not under the live root: a recall recorded elsewhere changes no preview. */
  preview: (lots: readonly string[]) => ['recall-preview', [...lots].sort()] as const,
};

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

async function body<T>(path: string, call: () => Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await send(path, call);
  if (!response.ok || data === undefined) throw ApiError.fromResponse(path, response, error);
  return data;
}

/** What recalling `lots` would reach, recorded nowhere yet. */
export function fetchRecallPreview(client: ApiClient, lots: readonly string[]): Promise<RecallPreview> {
  return body(PREVIEW, () => client.GET(PREVIEW, { params: { query: { lot: [...lots] } } }));
}

export async function fetchRecalls(client: ApiClient): Promise<readonly RecallView[]> {
  return (await body(LIST, () => client.GET(LIST))).data;
}

export function fetchRecall(client: ApiClient, id: string): Promise<RecallView> {
  return body(ONE, () => client.GET(ONE, { params: { path: { id } } }));
}

export function recordRecall(
  writer: Writer,
  recall: RecallRequest,
  idempotencyKey: string,
): Promise<SubmittedWrite> {
  const header = { 'idempotency-key': idempotencyKey };
  return submitWrite(writer, LIST, (api) => api.POST(LIST, { body: recall, params: { header } }), {
    idempotencyKey,
  });
}

export type ExportFormat = 'csv' | 'jsonld';

/** A recall's export: its affected records as CSV, or its EPCIS document. */
export function fetchRecallExport(client: ApiClient, id: string, format: ExportFormat): Promise<Blob> {
  const path = format === 'csv' ? CSV : JSON_LD;
  return body(path, () => client.GET(path, { params: { path: { id } }, parseAs: 'blob' }));
}

export function recallPath(id: string): string {
  return `/recalls/${encodeURIComponent(id)}`;
}

/** A fresh recall number, e.g. RCL-2026-3FA91C, that the person may change. */
export function suggestRecallId(now = new Date()): string {
  const random = crypto.getRandomValues(new Uint8Array(3));
  const hex = [...random].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `RCL-${String(now.getFullYear())}-${hex.toUpperCase()}`;
}
