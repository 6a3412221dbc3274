/** The new-shipment form: its values, the checks made before sending, and the API's body. */
import type { CreateShipment } from './api';

export interface ItemValues {
  readonly sku: string;
  readonly description: string;
  readonly quantity: string;
  readonly unit: string;
  readonly lot: string;
  readonly gtin: string;
  readonly certificateIds: readonly string[];
}

export interface ShipmentValues {
  readonly id: string;
  readonly origin: string;
  readonly destinationMsp: string;
  readonly destinationLocation: string;
  readonly items: readonly ItemValues[];
}

export const EMPTY_ITEM: ItemValues = {
  sku: '',
  description: '',
  quantity: '',
  unit: 'CS',
  lot: '',
  gtin: '',
  certificateIds: [],
};

/** Errors by field name; item fields are named `items.<index>.<field>`. */
export type ShipmentErrors = Readonly<Record<string, string>>;

const CODE = /^[A-Za-z0-9._:-]{1,64}$/;
const QUANTITY = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const UNIT = /^[A-Za-z0-9]{1,16}$/;
const GTIN = /^([0-9]{8}|[0-9]{12,14})$/;

/** A suggested id, e.g. SHP-2026-4821, that a person may change. */
export function suggestShipmentId(now = new Date(), random = Math.random): string {
  return `SHP-${String(now.getFullYear())}-${String(Math.floor(random() * 9000) + 1000)}`;
}

export function validateShipment(values: ShipmentValues): ShipmentErrors {
  const errors: Record<string, string> = {};
  if (!CODE.test(values.id.trim())) errors['id'] = 'Letters, digits and . _ : - only, at most 64';
  if (values.origin.trim() === '') errors['origin'] = 'Say where it leaves from';
  if (values.destinationMsp === '') errors['destinationMsp'] = 'Pick the receiving organization';
  if (values.destinationLocation.trim() === '') errors['destinationLocation'] = 'Say where it is delivered';
  values.items.forEach((item, index) => {
    const at = (field: string) => `items.${String(index)}.${field}`;
    if (!CODE.test(item.sku.trim())) errors[at('sku')] = 'A SKU such as GV-TOM-VINE-6KG';
    if (item.description.trim() === '') errors[at('description')] = 'Describe the item';
    if (!QUANTITY.test(item.quantity.trim())) errors[at('quantity')] = 'A number such as 96 or 12.5';
    if (!UNIT.test(item.unit.trim())) errors[at('unit')] = 'A unit code such as CS or KGM';
    if (item.lot.trim() !== '' && !CODE.test(item.lot.trim()))
      errors[at('lot')] = 'Letters, digits and . _ : -';
    if (item.gtin.trim() !== '' && !GTIN.test(item.gtin.trim()))
      errors[at('gtin')] = '8, 12, 13 or 14 digits';
  });
  return errors;
}

const optional = (text: string) => (text.trim() === '' ? null : text.trim());

export function shipmentBody(values: ShipmentValues, documents: readonly string[]): CreateShipment {
  return {
    id: values.id.trim(),
    origin: values.origin.trim(),
    destination: { msp_id: values.destinationMsp, location: values.destinationLocation.trim() },
    items: values.items.map((item) => ({
      sku: item.sku.trim(),
      description: item.description.trim(),
      quantity: item.quantity.trim(),
      unit: item.unit.trim(),
      lot: optional(item.lot),
      gtin: optional(item.gtin),
      certificate_ids: [...item.certificateIds],
    })),
    documents: [...documents],
  };
}
