/**
 * The live feed (`GET /api/v1/events`) as one resumable connection.
 *
 * `EventSource` cannot set headers, so the token travels as `?access_token=`. Its own
 * reconnect would reuse the first URL (and so a token that may have expired), so on any
 * error the connection is closed and opened again after a short delay with a fresh
 * token and `?last_event_id=` the last event seen: the API then sends every event
 * after it, once, and nothing is lost while the network was down.
 */

export interface FeedEvent {
  /** The feed id: what a reconnect resumes after. */
  readonly id: number;
  /** Dotted kind, e.g. `transaction.committed` or `certificate.suspended`. */
  readonly kind: string;
  readonly tx_id: string | null;
  readonly block_number: number | null;
  readonly created_at: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type FeedState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The kinds the API sends; EventSource only hands named events to listeners of that name. */
export const FEED_KINDS = [
  'transaction.pending',
  'transaction.committed',
  'transaction.invalid',
  'certificate.issued',
  'certificate.document_attached',
  'certificate.suspended',
  'certificate.reinstated',
  'certificate.revoked',
  'shipment.created',
  'transfer.proposed',
  'transfer.accepted',
  'transfer.rejected',
  'transfer.cancelled',
  'checkpoint.recorded',
  'shipment.delivered',
  'recall.recorded',
] as const;

export const FEED_PATH = '/api/v1/events';

/** Delays before each reconnect attempt; the last one repeats. */
export const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 5_000] as const;

export interface FeedOptions {
  readonly baseUrl: string;
  readonly getAccessToken: () => Promise<string | null>;
  readonly onEvent: (event: FeedEvent) => void;
  readonly onState?: (state: FeedState) => void;
  /** The EventSource constructor; the global one by default. */
  readonly EventSource?: typeof EventSource;
}

export interface FeedConnection {
  close(): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The feed row in an SSE `data:` line, or null if it is not one (then it is skipped). */
export function parseFeedEvent(data: string): FeedEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value['id'] !== 'number' || typeof value['kind'] !== 'string') {
    return null;
  }
  const txId = value['tx_id'];
  const block = value['block_number'];
  const payload = value['payload'];
  return {
    id: value['id'],
    kind: value['kind'],
    tx_id: typeof txId === 'string' ? txId : null,
    block_number: typeof block === 'number' ? block : null,
    created_at: typeof value['created_at'] === 'string' ? value['created_at'] : '',
    payload: isRecord(payload) ? payload : {},
  };
}

/** The feed URL for a token and the last event seen. */
export function feedUrl(baseUrl: string, token: string, lastEventId: number | null): string {
  const url = new URL(FEED_PATH, baseUrl);
  url.searchParams.set('access_token', token);
  if (lastEventId !== null) url.searchParams.set('last_event_id', String(lastEventId));
  return url.href;
}

export function connectFeed(options: Readonly<FeedOptions>): FeedConnection {
  const Source = options.EventSource ?? globalThis.EventSource;
  let source: EventSource | null = null;
  let lastEventId: number | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const setState = (state: FeedState) => options.onState?.(state);

  const handle = (message: MessageEvent<string>) => {
    const event = parseFeedEvent(message.data);
    if (event === null || (lastEventId !== null && event.id <= lastEventId)) return;
    lastEventId = event.id;
    options.onEvent(event);
  };

  const retry = () => {
    source?.close();
    source = null;
    if (closed) return;
    setState('reconnecting');
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)];
    attempt += 1;
    timer = setTimeout(() => void open(), delay);
  };

  const open = async () => {
    timer = null;
    const token = await options.getAccessToken().catch(() => null);
    if (closed) return;
    if (token === null) {
      retry();
      return;
    }
    const next = new Source(feedUrl(options.baseUrl, token, lastEventId));
    source = next;
    next.onopen = () => {
      attempt = 0;
      setState('open');
    };
    next.onerror = retry;
    for (const kind of FEED_KINDS) next.addEventListener(kind, handle);
  };

  setState('connecting');
  void open();
  return {
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      source?.close();
      source = null;
      setState('closed');
    },
  };
}
