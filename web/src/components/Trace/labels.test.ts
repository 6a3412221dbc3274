import { describe, expect, it } from 'vitest';
import {
  bizStepLabel,
  depthHeading,
  depthLabel,
  inverseRelationLabel,
  labelParts,
  nodeLabel,
  relationLabel,
  shortHash,
} from './labels';

describe('nodeLabel', () => {
  it('names the GS1 keys of a Digital Link URI', () => {
    expect(nodeLabel('https://id.gs1.org/01/08437001001019/10/LOT-TOM-2026-014')).toBe(
      'GTIN 08437001001019 lot LOT-TOM-2026-014',
    );
    expect(nodeLabel('https://id.gs1.org/00/384370010000000017')).toBe('SSCC 384370010000000017');
    expect(nodeLabel('https://id.gs1.org/01/08437001001019/21/4711')).toBe('GTIN 08437001001019 serial 4711');
    expect(nodeLabel('https://id.gs1.org/01/08437001001019')).toBe('GTIN 08437001001019');
  });

  it('reads percent-encoded values, and keys after a resolver’s own path', () => {
    expect(nodeLabel('https://id.gs1.org/01/08437001001019/10/LOT%2F7%20A')).toBe(
      'GTIN 08437001001019 lot LOT/7 A',
    );
    expect(nodeLabel('https://example.com/qr/01/08437001001019/10/L1')).toBe('GTIN 08437001001019 lot L1');
  });

  it('names Provena’s own URNs', () => {
    expect(nodeLabel('urn:provena:shipment:SHP-2026-0201')).toBe('Shipment SHP-2026-0201');
    expect(nodeLabel('urn:provena:lot:GV-TOM-VINE-6KG:LOT-TOM-2026-014')).toBe(
      'SKU GV-TOM-VINE-6KG lot LOT-TOM-2026-014',
    );
    expect(nodeLabel('urn:provena:sku:GV-TOM-VINE-6KG')).toBe('SKU GV-TOM-VINE-6KG');
    expect(nodeLabel('urn:provena:shipment:SHP%3A1')).toBe('Shipment SHP:1');
  });

  it('keeps each key with its value, so a line breaks between keys and never inside an id', () => {
    expect(labelParts('https://id.gs1.org/01/08437001001019/10/LOT-7')).toEqual([
      'GTIN 08437001001019',
      'lot LOT-7',
    ]);
    expect(labelParts('urn:provena:shipment:SHP-2026-0201')).toEqual(['Shipment', 'SHP-2026-0201']);
    expect(labelParts('LOT-1')).toBeNull();
  });

  it('leaves anything else as it is', () => {
    expect(nodeLabel('urn:epc:id:sgtin:8437001.000101.4711')).toBe('urn:epc:id:sgtin:8437001.000101.4711');
    expect(nodeLabel('https://id.gs1.org/99/12')).toBe('https://id.gs1.org/99/12');
    expect(nodeLabel('urn:provena:unknown:x')).toBe('urn:provena:unknown:x');
    expect(nodeLabel('LOT-1')).toBe('LOT-1');
  });
});

describe('the words around nodes', () => {
  it('says where a node sits relative to the start', () => {
    expect(depthLabel(0)).toBe('start');
    expect(depthLabel(-1)).toBe('1 level upstream');
    expect(depthLabel(-3)).toBe('3 levels upstream');
    expect(depthLabel(2)).toBe('2 levels downstream');
    expect(depthHeading(0)).toBe('Start');
    expect(depthHeading(-2)).toBe('2 levels upstream');
  });

  it('says relations in words, even ones it does not know', () => {
    expect(relationLabel('packed_into')).toBe('packed into');
    expect(relationLabel('transformed_into')).toBe('transformed into');
    expect(relationLabel('split_from')).toBe('split from');
    expect(inverseRelationLabel('packed_into')).toBe('contains');
    expect(inverseRelationLabel('transformed_into')).toBe('made from');
  });

  it('says a CBV business step by its name', () => {
    expect(bizStepLabel('https://ref.gs1.org/cbv/BizStep-packing')).toBe('packing');
    expect(bizStepLabel('shipping')).toBe('shipping');
    expect(bizStepLabel('urn:example:step:x')).toBe('urn:example:step:x');
  });

  it('shortens an event hash to its first digits', () => {
    expect(shortHash(`ni:///sha-256;${'3f2a'.repeat(16)}?ver=CBV2.0`)).toBe('3f2a3f2a3f2a…');
    expect(shortHash('urn:uuid:1')).toBe('urn:uuid:1');
  });
});
