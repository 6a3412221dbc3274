/** Shipment payloads shaped like the API's, for the shipment screens' tests. */
import type { Me } from '../../api/types';
import type { ShipmentDetail, ShipmentSummary } from './api';

export function shipmentSummary(id: string, overrides: Partial<ShipmentSummary> = {}): ShipmentSummary {
  return {
    id,
    status: 'CREATED',
    owner_msp_id: 'ProducerMSP',
    custodian_msp_id: 'ProducerMSP',
    pending_transfer_to_msp_id: null,
    origin: 'Greenfield packhouse, Almería',
    destination_msp_id: 'RetailerMSP',
    destination_location: 'Nordic Fresh DC, Malmö',
    created_at: '2026-03-02T08:00:00Z',
    tx_id: 'a'.repeat(64),
    block_number: 7,
    ...overrides,
  };
}

const proof = {
  tx_id: 'a'.repeat(64),
  block_number: 7,
  validation_code: 'VALID',
  timestamp: '2026-03-02T08:00:00Z',
  creator_msp_id: 'ProducerMSP',
  creator_subject: 'CN=tomas.herrera',
  creator_enrollment_id: 'tomas.herrera',
  endorsers: ['ProducerMSP', 'CarrierMSP'],
  function: 'CreateShipment',
};

export function shipmentDetail(id: string, overrides: Partial<ShipmentDetail> = {}): ShipmentDetail {
  return {
    ...shipmentSummary(id),
    items: [
      {
        sku: 'GV-TOM-VINE-6KG',
        gtin: '8437001001019',
        description: 'Vine tomatoes, 6 kg case',
        quantity: '96',
        unit: 'CS',
        lot: 'LOT-TOM-2026-014',
        certificate_ids: ['VOC-EUORG-2026-0101'],
      },
    ],
    documents: [],
    custody: [{ msp_id: 'ProducerMSP', since: '2026-03-02T08:00:00Z', tx_id: 'a'.repeat(64) }],
    transfers: [],
    checkpoints: [],
    proof,
    history: [{ tx_id: 'a'.repeat(64), timestamp: '2026-03-02T08:00:00Z', status: 'CREATED', proof }],
    recalls: [],
    ...overrides,
  };
}

type Kind = NonNullable<Me['organization']>['kind'];

function person(subject: string, name: string, role: Me['roles'][number], msp: string, kind: Kind): Me {
  return {
    subject,
    email: `${subject}@provena.test`,
    display_name: name,
    roles: [role],
    organization: { msp_id: msp, name: msp.replace('MSP', ''), kind },
  };
}

export const tomas = person('tomas.herrera', 'Tomás Herrera', 'producer', 'ProducerMSP', 'producer');
export const sam = person('sam.carter', 'Sam Carter', 'carrier', 'CarrierMSP', 'carrier');
export const jonas = person('jonas.berg', 'Jonas Berg', 'receiver', 'RetailerMSP', 'retailer');
