import { describe, expect, it } from 'vitest';
import {
  EMPTY_ITEM,
  shipmentBody,
  suggestShipmentId,
  validateShipment,
  type ShipmentValues,
} from './shipmentForm';

const filled: ShipmentValues = {
  id: ' SHP-2026-4821 ',
  origin: 'Green Valley packhouse',
  destinationMsp: 'RetailerMSP',
  destinationLocation: 'Rotterdam DC',
  items: [
    {
      ...EMPTY_ITEM,
      sku: 'GV-TOM-VINE-6KG',
      description: 'Vine tomatoes',
      quantity: '96',
      lot: 'LOT-TOM-2026-014',
      certificateIds: ['VOC-EUORG-2026-0101'],
    },
  ],
};

describe('the new-shipment form', () => {
  it('suggests an id of the year', () => {
    expect(suggestShipmentId(new Date('2026-05-01T00:00:00Z'), () => 0.5)).toBe('SHP-2026-5500');
  });

  it('names every field the API would refuse, items by their index', () => {
    const errors = validateShipment({
      ...filled,
      id: 'has space',
      destinationMsp: '',
      items: [{ ...EMPTY_ITEM, sku: 'OK-1', description: 'x', quantity: 'ten', gtin: '123' }, EMPTY_ITEM],
    });
    expect(Object.keys(errors).sort()).toEqual([
      'destinationMsp',
      'id',
      'items.0.gtin',
      'items.0.quantity',
      'items.1.description',
      'items.1.quantity',
      'items.1.sku',
    ]);
    expect(validateShipment(filled)).toEqual({});
  });

  it('sends trimmed values, empty optional fields as null, and the documents’ CIDs', () => {
    const body = shipmentBody(filled, ['bafy-1']);
    expect(body.id).toBe('SHP-2026-4821');
    expect(body.destination).toEqual({ msp_id: 'RetailerMSP', location: 'Rotterdam DC' });
    expect(body.items[0]).toMatchObject({ gtin: null, lot: 'LOT-TOM-2026-014', unit: 'CS' });
    expect(body.documents).toEqual(['bafy-1']);
  });
});
