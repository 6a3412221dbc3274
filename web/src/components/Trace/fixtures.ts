/** A small trace shaped like the API's, for the trace screens' tests:
 *
 *   raw lot R ──transformed into──▶ lot A ──packed into──▶ SHP-1 ──packed into──▶ pallet P
 *                                   lot B ──packed into──▶ (root)
 */
import type { EventProof, TraceEdge, TraceView } from './api';

export const RAW = 'https://id.gs1.org/01/08437001001002/10/RAW-9';
export const LOT_A = 'https://id.gs1.org/01/08437001001019/10/LOT-TOM-2026-014';
export const LOT_B = 'urn:provena:lot:GV-CRG:LOT-CRG-2026-007';
export const UNIT = 'urn:provena:shipment:SHP-1';
export const PALLET = 'https://id.gs1.org/00/384370010000000017';

export const hash = (digit: string) => `ni:///sha-256;${digit.repeat(64)}?ver=CBV2.0`;

export function edge(source: string, target: string, overrides: Partial<TraceEdge> = {}): TraceEdge {
  return {
    source,
    target,
    relation: 'packed_into',
    event_id: hash('1'),
    event_type: 'AggregationEvent',
    biz_step: 'packing',
    event_time: '2026-03-02T08:00:00Z',
    tx_id: 'a'.repeat(64),
    block_number: 7,
    ...overrides,
  };
}

export const trace: TraceView = {
  query: 'SHP-1',
  roots: [UNIT],
  nodes: [
    { id: UNIT, kind: 'logistic_unit', depth: 0, shipment_id: 'SHP-1', holder_msp_id: 'CarrierMSP' },
    { id: LOT_A, kind: 'lot', depth: -1, shipment_id: null, holder_msp_id: null },
    { id: LOT_B, kind: 'lot', depth: -1, shipment_id: null, holder_msp_id: null },
    { id: RAW, kind: 'lot', depth: -2, shipment_id: null, holder_msp_id: null },
    { id: PALLET, kind: 'logistic_unit', depth: 1, shipment_id: null, holder_msp_id: null },
  ],
  edges: [
    edge(LOT_A, UNIT),
    edge(LOT_B, UNIT),
    edge(RAW, LOT_A, {
      relation: 'transformed_into',
      event_id: hash('2'),
      event_type: 'TransformationEvent',
      biz_step: 'commissioning',
      event_time: '2026-03-01T08:00:00Z',
      tx_id: 'b'.repeat(64),
      block_number: 5,
    }),
    edge(UNIT, PALLET, { event_id: hash('3'), tx_id: 'c'.repeat(64), block_number: 9 }),
  ],
  levels: 2,
  truncated: false,
};

export function proof(eventId: string, overrides: Partial<EventProof> = {}): EventProof {
  return {
    event_id: eventId,
    hash_verified: true,
    event: { type: 'AggregationEvent' },
    proof: {
      tx_id: 'a'.repeat(64),
      block_number: 7,
      validation_code: 'VALID',
      timestamp: '2026-03-02T08:00:01Z',
      creator_msp_id: 'ProducerMSP',
      creator_subject: 'CN=tomas.herrera',
      creator_enrollment_id: 'tomas.herrera',
      endorsers: ['ProducerMSP', 'CarrierMSP'],
      function: 'CreateShipment',
    },
    ...overrides,
  };
}
