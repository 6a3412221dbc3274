/**
 * The EPCIS 2.0 REST binding (`/epcis`): one event by its id, and the events of a shipment.
 * Identifiers come back as GS1 Digital Link URIs, the form the trace names them in.
 */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';

/** An EPCIS JSON-LD document as served, and pretty-printed for reading and saving. */
export interface EpcisDocument {
  readonly value: unknown;
  readonly text: string;
}

export const epcisKeys = {
  event: (eventId: string) => ['epcis', 'event', eventId] as const,
  shipment: (shipmentId: string) => ['epcis', 'shipment', shipmentId] as const,
};

const EVENT = '/epcis/events/{eventID}';
const EVENTS = '/epcis/events';
const DIGITAL_LINK = { 'GS1-EPC-Format': 'Always_GS1_Digital_Link' } as const;
/** The most events one shipment's document holds; the API pages beyond that. */
export const SHIPMENT_EVENTS_PER_PAGE = 100;

interface TextAnswer {
  readonly data?: string;
  readonly error?: unknown;
  readonly response: Response;
}

async function readDocument(path: string, call: () => Promise<TextAnswer>): Promise<EpcisDocument> {
  const { data, error, response } = await send(path, call);
  if (!response.ok || data === undefined) throw ApiError.fromResponse(path, response, error);
  let value: unknown;
  try {
    value = JSON.parse(data) as unknown;
  } catch {
    throw ApiError.invalid(path, 'the body is not JSON', response.status);
  }
  return { value, text: `${JSON.stringify(value, null, 2)}\n` };
}

/** One event, by its hash or eventID. */
export function fetchEpcisEvent(client: ApiClient, eventId: string): Promise<EpcisDocument> {
  return readDocument(EVENT, () =>
    client.GET(EVENT, {
      params: { path: { eventID: eventId }, header: DIGITAL_LINK },
      parseAs: 'text',
    }),
  );
}

/**
 * The shipment's despatch advice URN, as the API writes it in every event's
 * `bizTransactionList` (its id percent-encoded, like Python's `quote(id, safe="")`).
 */
export function shipmentUrn(id: string): string {
  const encoded = encodeURIComponent(id).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `urn:provena:shipment:${encoded}`;
}

/** The EPCISQueryDocument of every event recorded for shipment `id`. */
export function fetchShipmentEvents(client: ApiClient, id: string): Promise<EpcisDocument> {
  // The standard's query parameters are open-ended (EQ_bizTransaction_<type>), so the
  // schema declares only the paging ones: the query string is written here.
  const query = new URLSearchParams({
    EQ_bizTransaction_desadv: shipmentUrn(id),
    perPage: String(SHIPMENT_EVENTS_PER_PAGE),
  });
  return readDocument(EVENTS, () =>
    client.GET(EVENTS, {
      params: { header: DIGITAL_LINK },
      querySerializer: () => query.toString(),
      parseAs: 'text',
    }),
  );
}

/** How many events an EPCIS document holds: a query's result list, or one event. */
export function eventCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const body = (value as { epcisBody?: { queryResults?: { resultsBody?: { eventList?: unknown } } } })
    .epcisBody;
  const list = body?.queryResults?.resultsBody?.eventList;
  if (Array.isArray(list)) return list.length;
  return 'type' in value ? 1 : 0;
}
