import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectFeed, parseFeedEvent, RECONNECT_DELAYS_MS, type FeedEvent } from './feed';
import { FakeEventSource, fakeEventSource } from './fakeEventSource';

const BASE = 'http://127.0.0.1:8000';

function start(tokens: string[]) {
  const events: FeedEvent[] = [];
  const connection = connectFeed({
    baseUrl: BASE,
    getAccessToken: () => Promise.resolve(tokens.shift() ?? 'later-token'),
    onEvent: (event) => events.push(event),
    EventSource: fakeEventSource,
  });
  return { events, connection };
}

describe('connectFeed', () => {
  beforeEach(() => {
    FakeEventSource.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the access token in the URL, since EventSource cannot set headers', async () => {
    start(['token-1']);
    await vi.advanceTimersByTimeAsync(0);
    const url = new URL(FakeEventSource.latest().url);
    expect(url.pathname).toBe('/api/v1/events');
    expect(url.searchParams.get('access_token')).toBe('token-1');
    expect(url.searchParams.has('last_event_id')).toBe(false);
  });

  it('reconnects after a drop with a fresh token and the last event seen, so nothing is lost', async () => {
    const { events } = start(['token-1', 'token-2']);
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeEventSource.latest();
    first.open();
    first.emit({ id: 41, kind: 'transaction.pending', tx_id: 'tx-a' });
    first.emit({ id: 42, kind: 'certificate.issued', payload: { id: 'CERT-1' } });
    first.fail();
    expect(first.closed).toBe(true);

    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS_MS[0]);
    const second = FakeEventSource.latest();
    expect(second).not.toBe(first);
    const url = new URL(second.url);
    expect(url.searchParams.get('access_token')).toBe('token-2');
    expect(url.searchParams.get('last_event_id')).toBe('42');

    second.emit({ id: 42, kind: 'certificate.issued' });
    second.emit({ id: 43, kind: 'transaction.committed', tx_id: 'tx-a', block_number: 9 });
    expect(events.map((event) => event.id)).toEqual([41, 42, 43]);
    expect(events[2]).toMatchObject({ tx_id: 'tx-a', block_number: 9 });
  });

  it('waits longer after each failed attempt, and stops for good when closed', async () => {
    const { connection } = start([]);
    await vi.advanceTimersByTimeAsync(0);
    FakeEventSource.latest().fail();
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS_MS[0]);
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.latest().fail();
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS_MS[0]);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS_MS[1] - RECONNECT_DELAYS_MS[0]);
    expect(FakeEventSource.instances).toHaveLength(3);

    connection.close();
    expect(FakeEventSource.latest().closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.instances).toHaveLength(3);
  });
});

describe('parseFeedEvent', () => {
  it('skips data that is not a feed row', () => {
    expect(parseFeedEvent('not json')).toBeNull();
    expect(parseFeedEvent('{"kind":"x"}')).toBeNull();
  });
});
