/** Recall payloads shaped like the API's, for the recall screens' tests. */
import type { RecallPreview, RecallView } from './api';

export const LOT = 'https://id.gs1.org/01/08437001001019/10/LOT-TOM-2026-014';
export const UNIT = 'urn:provena:shipment:SHP-2026-0202';

export const preview: RecallPreview = {
  lots: [LOT],
  affected: [
    { id: LOT, kind: 'lot', depth: 0, shipment_id: null, holder_msp_id: null },
    { id: UNIT, kind: 'logistic_unit', depth: 1, shipment_id: 'SHP-2026-0202', holder_msp_id: 'CarrierMSP' },
  ],
  shipments: [
    {
      id: 'SHP-2026-0202',
      status: 'IN_TRANSIT',
      custodian_msp_id: 'CarrierMSP',
      owner_msp_id: 'ProducerMSP',
      destination_msp_id: 'RetailerMSP',
    },
  ],
  organizations: ['CarrierMSP', 'CertifierMSP', 'ProducerMSP', 'RetailerMSP'],
  certificates: ['VOC-EUORG-2026-0101'],
};

export function recallView(id: string, overrides: Partial<RecallView> = {}): RecallView {
  return {
    id,
    reason: 'Listeria found in a retained sample',
    lots: preview.lots,
    affected: preview.affected,
    shipments: [{ id: 'SHP-2026-0202', holder_msp_id: 'CarrierMSP' }],
    organizations: preview.organizations,
    certificates: preview.certificates,
    event_id: `ni:///sha-256;${'9'.repeat(64)}?ver=CBV2.0`,
    recorded_by_msp_id: 'ProducerMSP',
    recorded_at: '2026-03-04T09:30:00Z',
    tx_id: 'e'.repeat(64),
    block_number: 21,
    ...overrides,
  };
}
