import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../live/feed';
import { addActivity, RECENT, recordOf } from './activity';
import { expiringBefore } from './useDashboard';

function event(id: number, kind: string, payload: Record<string, unknown> = {}): FeedEvent {
  return { id, kind, tx_id: null, block_number: 3, created_at: '2026-03-02T08:00:00Z', payload };
}

describe('the dashboard’s activity', () => {
  it('keeps record events newest first, once each, at most RECENT', () => {
    let lines: FeedEvent[] = [];
    for (let id = 1; id <= RECENT + 2; id += 1) lines = addActivity(lines, event(id, 'transfer.proposed'));
    lines = addActivity(lines, event(RECENT + 2, 'transfer.proposed'));
    lines = addActivity(lines, event(99, 'transaction.committed'));
    expect(lines.map((line) => line.id)).toEqual([10, 9, 8, 7, 6, 5, 4, 3]);
  });

  it('names the shipment or certificate an event changed', () => {
    expect(recordOf(event(1, 'transfer.accepted', { shipment: { id: 'SHP-1' } }))).toEqual({
      kind: 'shipment',
      id: 'SHP-1',
    });
    expect(recordOf(event(2, 'certificate.revoked', { certificate: { id: 'CERT-1' } }))).toEqual({
      kind: 'certificate',
      id: 'CERT-1',
    });
    expect(recordOf(event(3, 'shipment.created'))).toBeNull();
  });

  it('asks for certificates expiring within 30 days, from the start of the hour', () => {
    expect(expiringBefore(new Date('2026-03-02T08:41:13Z'))).toBe('2026-04-01T08:00:00.000Z');
  });
});
