import { describe, expect, it } from 'vitest';
import { david } from '../../test/fixtures';
import type { CheckpointView } from './api';
import { jonas, sam, shipmentSummary, tomas } from './fixtures';
import { allowedActions } from './permissions';
import { parseCelsius, temperaturePoints } from './temperature';

function checkpoint(seq: number, time: string, values: readonly string[]): CheckpointView {
  return {
    seq,
    event_time: time,
    event_time_zone_offset: '+00:00',
    biz_step: 'transporting',
    disposition: 'in_transit',
    read_point: 'urn:epc:id:sgln:7350012.00001.REEFER-17',
    biz_location: null,
    sensor_readings: [
      ...values.map((value) => ({ type: 'gs1:Temperature', value, uom: 'CEL' })),
      { type: 'gs1:RelativeHumidity', value: '90', uom: 'A93' },
    ],
    documents: [],
    event_hash: 'e'.repeat(64),
    recorded_by_msp_id: 'CarrierMSP',
    recorded_at: time,
    tx_id: 'b'.repeat(64),
  };
}

describe('temperaturePoints', () => {
  it('keeps the temperature readings in time order and marks those outside 2–8 °C', () => {
    const points = temperaturePoints([
      checkpoint(1, '2026-03-02T12:00:00Z', ['7.8', '8.4']),
      checkpoint(0, '2026-03-02T08:00:00Z', ['1.5']),
    ]);
    expect(points.map((p) => [p.seq, p.celsius, p.outside])).toEqual([
      [0, 1.5, true],
      [1, 7.8, false],
      [1, 8.4, true],
    ]);
  });
});

describe('parseCelsius', () => {
  it('splits a list of decimals and refuses anything that is not one', () => {
    expect(parseCelsius(' 4.2, 5 -1.5 ')).toEqual(['4.2', '5', '-1.5']);
    expect(parseCelsius('4,2.5.1')).toBeNull();
    expect(parseCelsius('')).toEqual([]);
  });
});

describe('allowedActions', () => {
  const offered = shipmentSummary('SHP-1', {
    status: 'TRANSFER_PROPOSED',
    pending_transfer_to_msp_id: 'CarrierMSP',
  });

  it('lets the custodian record checkpoints and propose, or cancel what it proposed', () => {
    expect([...allowedActions(shipmentSummary('SHP-1'), tomas)].sort()).toEqual(['checkpoint', 'propose']);
    expect([...allowedActions(offered, tomas)].sort()).toEqual(['cancel', 'checkpoint']);
  });

  it('lets only the proposed recipient accept or reject', () => {
    expect([...allowedActions(offered, sam)].sort()).toEqual(['accept', 'reject']);
    expect(allowedActions(offered, jonas).size).toBe(0);
  });

  it('lets the destination’s receiver confirm delivery once it holds the shipment', () => {
    const arrived = shipmentSummary('SHP-1', { status: 'IN_TRANSIT', custodian_msp_id: 'RetailerMSP' });
    expect(allowedActions(arrived, jonas).has('deliver')).toBe(true);
    const onTheRoad = shipmentSummary('SHP-1', { status: 'IN_TRANSIT', custodian_msp_id: 'CarrierMSP' });
    expect(allowedActions(onTheRoad, jonas).has('deliver')).toBe(false);
    expect(allowedActions(onTheRoad, sam).has('deliver')).toBe(false);
    const notItsDoor = { ...arrived, destination_msp_id: 'OtherRetailMSP' };
    expect(allowedActions(notItsDoor, jonas).has('deliver')).toBe(false);
    const backHome = { ...arrived, custodian_msp_id: 'ProducerMSP', destination_msp_id: 'ProducerMSP' };
    expect(allowedActions(backHome, tomas).has('deliver')).toBe(false);
  });

  it('offers nothing on a delivered shipment, nor to a role without custody', () => {
    const delivered = shipmentSummary('SHP-1', { status: 'DELIVERED', custodian_msp_id: 'RetailerMSP' });
    expect(allowedActions(delivered, jonas).size).toBe(0);
    const certifierHolding = { ...david, organization: tomas.organization };
    expect(allowedActions(shipmentSummary('SHP-1'), certifierHolding).size).toBe(0);
  });
});
