/**
 * An EventSource stand-in for unit tests (jsdom has none): records every URL opened and
 * lets a test open, feed and break each connection as a server or network would.
 */
export class FakeEventSource extends EventTarget {
  static readonly instances: FakeEventSource[] = [];
  readonly url: string;
  readyState = 0;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances.length = 0;
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (source === undefined) throw new Error('no EventSource was opened');
    return source;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** Delivers one feed row as the API encodes it. */
  emit(row: {
    id: number;
    kind: string;
    tx_id?: string | null;
    block_number?: number | null;
    payload?: object;
  }): void {
    const data = JSON.stringify({ tx_id: null, block_number: null, created_at: '', payload: {}, ...row });
    this.dispatchEvent(new MessageEvent(row.kind, { data, lastEventId: String(row.id) }));
  }

  /** The connection drops. */
  fail(): void {
    this.onerror?.(new Event('error'));
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
}

/** The fake, typed as the constructor the feed expects. */
export const fakeEventSource = FakeEventSource as unknown as typeof EventSource;
