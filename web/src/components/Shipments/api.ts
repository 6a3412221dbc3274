/** The shipment endpoints: the list, one shipment, and the writes on it. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import { liveKeys } from '../../live/invalidation';
import { submitWrite, type SubmittedWrite, type WriteCall, type Writer } from '../Transaction/submitWrite';

type Schemas = components['schemas'];
export type ShipmentSummary = Schemas['ShipmentSummary'];
export type ShipmentDetail = Schemas['ShipmentDetail'];
export type ShipmentPage = Schemas['Page_ShipmentSummary_'];
export type ShipmentStatus = Schemas['ShipmentStatus'];
export type CreateShipment = Schemas['CreateShipment'];
export type ShipmentItem = Schemas['Item'];
export type RecordCheckpoint = Schemas['RecordCheckpoint'];
export type CheckpointView = Schemas['CheckpointView'];
export type BizStep = Schemas['BizStepName'];
export type Disposition = Schemas['DispositionName'];

export const STATUSES: readonly ShipmentStatus[] = [
  'CREATED',
  'TRANSFER_PROPOSED',
  'IN_TRANSIT',
  'DELIVERED',
];

export type ShipmentFilters = Pick<
  NonNullable<paths['/api/v1/shipments']['get']['parameters']['query']>,
  'status' | 'holder' | 'destination' | 'offered_to' | 'q'
>;

export const shipmentKeys = {
  list: (filters: ShipmentFilters) => [...liveKeys.shipments, 'list', filters] as const,
  detail: (id: string) => [...liveKeys.shipments, 'detail', id] as const,
};

const LIST = '/api/v1/shipments';
const ONE = '/api/v1/shipments/{id}';
const PROPOSE = '/api/v1/shipments/{id}/transfer';
const REJECT = '/api/v1/shipments/{id}/transfer/reject';
const SETTLE = '/api/v1/shipments/{id}/transfer/{action}';
const CHECKPOINT = '/api/v1/shipments/{id}/checkpoints';
const DELIVERY = '/api/v1/shipments/{id}/delivery';

export const PAGE_SIZE = 20;

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The body of a successful answer, or the API's problem as an `ApiError`. */
async function body<T>(path: string, call: () => Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await send(path, call);
  if (!response.ok || data === undefined) throw ApiError.fromResponse(path, response, error);
  return data;
}

export function fetchShipments(
  client: ApiClient,
  filters: ShipmentFilters,
  cursor: string | null,
  limit = PAGE_SIZE,
): Promise<ShipmentPage> {
  const query = { ...filters, cursor, limit };
  return body(LIST, () => client.GET(LIST, { params: { query } }));
}

export function fetchShipment(client: ApiClient, id: string): Promise<ShipmentDetail> {
  return body(ONE, () => client.GET(ONE, { params: { path: { id } } }));
}

/** A new key per attempt of a form: a retried request is then recorded once. */
function header(idempotencyKey: string) {
  return { 'idempotency-key': idempotencyKey };
}

export function createShipment(
  writer: Writer,
  shipment: CreateShipment,
  idempotencyKey: string,
): Promise<SubmittedWrite> {
  return submitWrite(
    writer,
    LIST,
    (api) => api.POST(LIST, { body: shipment, params: { header: header(idempotencyKey) } }),
    { idempotencyKey },
  );
}

/** Every write a shipment's detail page can make, as one tagged value. */
export type ShipmentAction =
  | { readonly kind: 'propose'; readonly toMsp: string }
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'checkpoint'; readonly checkpoint: RecordCheckpoint }
  | { readonly kind: 'deliver' };

export function actOnShipment(
  writer: Writer,
  id: string,
  action: ShipmentAction,
  idempotencyKey: string,
): Promise<SubmittedWrite> {
  const params = { path: { id }, header: header(idempotencyKey) };
  const write = (path: string, call: WriteCall) => submitWrite(writer, path, call, { idempotencyKey });
  switch (action.kind) {
    case 'propose':
      return write(PROPOSE, (api) => api.POST(PROPOSE, { params, body: { to_msp: action.toMsp } }));
    case 'reject':
      return write(REJECT, (api) => api.POST(REJECT, { params, body: { reason: action.reason } }));
    case 'accept':
    case 'cancel':
      return write(SETTLE, (api) =>
        api.POST(SETTLE, { params: { ...params, path: { id, action: action.kind } } }),
      );
    case 'checkpoint':
      return write(CHECKPOINT, (api) => api.POST(CHECKPOINT, { params, body: action.checkpoint }));
    case 'deliver':
      return write(DELIVERY, (api) => api.POST(DELIVERY, { params }));
  }
}
