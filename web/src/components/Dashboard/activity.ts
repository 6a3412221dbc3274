/** Feed events as the dashboard's activity lines. */
import type { FeedEvent } from '../../live/feed';

/** How many lines the activity list keeps. */
export const RECENT = 8;

const WORDS: Readonly<Record<string, string>> = {
  'certificate.issued': 'Certificate issued',
  'certificate.document_attached': 'Document attached to a certificate',
  'certificate.suspended': 'Certificate suspended',
  'certificate.reinstated': 'Certificate reinstated',
  'certificate.revoked': 'Certificate revoked',
  'shipment.created': 'Shipment created',
  'transfer.proposed': 'Transfer proposed',
  'transfer.accepted': 'Transfer accepted',
  'transfer.rejected': 'Transfer rejected',
  'transfer.cancelled': 'Transfer cancelled',
  'checkpoint.recorded': 'Checkpoint recorded',
  'shipment.delivered': 'Shipment delivered',
};

/** Transaction events only say a write moved on; the record events say what happened. */
export function describeActivity(event: FeedEvent): string | null {
  return WORDS[event.kind] ?? null;
}

function idIn(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : null;
}

/** The record an event is about: its payload carries the shipment or certificate it changed. */
export function recordOf(
  event: FeedEvent,
): { readonly kind: 'shipment' | 'certificate'; readonly id: string } | null {
  const kind = event.kind.startsWith('certificate') ? 'certificate' : 'shipment';
  const id = idIn(event.payload[kind]) ?? idIn(event.payload);
  return id === null ? null : { kind, id };
}

/** The newest first, each once, at most RECENT. */
export function addActivity(lines: readonly FeedEvent[], event: FeedEvent): FeedEvent[] {
  if (describeActivity(event) === null || lines.some((line) => line.id === event.id)) return [...lines];
  return [event, ...lines].slice(0, RECENT);
}
