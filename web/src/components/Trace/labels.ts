/**
 * How the identifiers of a trace read to a person. The API names lots and units by GS1
 * Digital Link URIs where they have GS1 keys, and by `urn:provena:` URNs where they have
 * only Provena's own ids; either way the label says what the keys are:
 *
 *   https://id.gs1.org/01/08437001001019/10/LOT-7   GTIN 08437001001019 lot LOT-7
 *   https://id.gs1.org/00/384370010000000017        SSCC 384370010000000017
 *   urn:provena:shipment:SHP-2026-0201              Shipment SHP-2026-0201
 *   urn:provena:lot:GV-TOM:LOT-7                    SKU GV-TOM lot LOT-7
 */
import type { NodeKind } from './api';

/** GS1 Application Identifiers a Digital Link path may hold, by the words they read as. */
const AIS: Readonly<Record<string, string>> = {
  '00': 'SSCC',
  '01': 'GTIN',
  '10': 'lot',
  '21': 'serial',
  '22': 'variant',
  '235': 'serial',
  '253': 'GDTI',
  '254': 'extension',
  '414': 'GLN',
  '417': 'party GLN',
  '8003': 'GRAI',
  '8004': 'GIAI',
  '8006': 'ITIP',
  '8010': 'CPID',
  '8011': 'serial',
  '8017': 'GSRN',
};

const PROVENA: Readonly<Record<string, string>> = {
  shipment: 'Shipment',
  lot: 'SKU',
  sku: 'SKU',
  certificate: 'Certificate',
  org: 'Organization',
  transformation: 'Transformation',
  location: 'Location',
};

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** ["GTIN …", "lot …"] for a Digital Link URI, or null when `id` is not one. */
function digitalLinkParts(id: string): string[] | null {
  if (!URL.canParse(id)) return null;
  const url = new URL(id);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const parts = url.pathname.split('/').filter((part) => part !== '');
  // The keys are the path's last (application identifier, value) pairs: a resolver may
  // prefix a path of its own.
  const start = parts.findIndex((part, index) => AIS[part] !== undefined && index % 2 === parts.length % 2);
  if (start === -1) return null;
  const words: string[] = [];
  for (let index = start; index + 1 < parts.length; index += 2) {
    const name = AIS[parts[index] ?? ''];
    if (name === undefined) return null;
    words.push(`${name} ${decode(parts[index + 1] ?? '')}`);
  }
  return words.length === 0 ? null : words;
}

/** ["Shipment", "…"], ["SKU …", "lot …"] for a Provena URN, or null when `id` is not one. */
function provenaParts(id: string): string[] | null {
  if (!id.startsWith('urn:provena:')) return null;
  const [kind = '', ...parts] = id.slice('urn:provena:'.length).split(':');
  const name = PROVENA[kind];
  if (name === undefined || parts.length === 0) return null;
  const values = parts.map(decode);
  if (kind === 'lot' && values.length === 2) return [`SKU ${values[0] ?? ''}`, `lot ${values[1] ?? ''}`];
  return [name, values.join(':')];
}

/**
 * The label of an identifier in the pieces a line may break between (a key and its value
 * stay together), or null when it is not a form this knows.
 */
export function labelParts(id: string): readonly string[] | null {
  return digitalLinkParts(id) ?? provenaParts(id);
}

/** A short label for a lot, unit or shipment identifier; the identifier itself otherwise. */
export function nodeLabel(id: string): string {
  return labelParts(id)?.join(' ') ?? id;
}

const KINDS: Readonly<Record<NodeKind, string>> = {
  logistic_unit: 'Logistic unit',
  lot: 'Lot',
  product: 'Product',
  instance: 'Item',
  other: 'Other',
};

/** "Logistic unit", "Lot"…; a kind the app does not know, as the API names it. */
export function kindLabel(kind: string): string {
  const known: Readonly<Record<string, string>> = KINDS;
  return known[kind] ?? kind.replaceAll('_', ' ');
}

const KIND_COLORS: Readonly<Record<string, string>> = {
  logistic_unit: 'blue',
  lot: 'teal',
  product: 'violet',
  instance: 'orange',
};

/** The badge colour of a kind of node. */
export function kindColor(kind: string): string {
  return KIND_COLORS[kind] ?? 'gray';
}

const RELATIONS: Readonly<Record<string, string>> = {
  packed_into: 'packed into',
  transformed_into: 'transformed into',
};

/** The same relations read from their target: what the target is to the source. */
const INVERSES: Readonly<Record<string, string>> = {
  packed_into: 'contains',
  transformed_into: 'made from',
};

/** "packed into", "transformed into"; an unknown relation in words. */
export function relationLabel(relation: string): string {
  return RELATIONS[relation] ?? relation.replaceAll('_', ' ');
}

/** "contains", "made from": the relation said from its target's side. */
export function inverseRelationLabel(relation: string): string {
  return INVERSES[relation] ?? `${relationLabel(relation)} from`;
}

const CBV_BIZ_STEP = 'https://ref.gs1.org/cbv/BizStep-';

/** "packing" for `https://ref.gs1.org/cbv/BizStep-packing` or `packing`; other URIs as they are. */
export function bizStepLabel(step: string): string {
  const name = step.startsWith(CBV_BIZ_STEP) ? step.slice(CBV_BIZ_STEP.length) : step;
  return name.replaceAll('_', ' ');
}

/** Where a node sits relative to the start: "start", "2 levels upstream", "1 level downstream". */
export function depthLabel(depth: number): string {
  if (depth === 0) return 'start';
  const levels = Math.abs(depth);
  return `${String(levels)} ${levels === 1 ? 'level' : 'levels'} ${depth < 0 ? 'upstream' : 'downstream'}`;
}

/** The heading of a column or group of nodes at `depth`. */
export function depthHeading(depth: number): string {
  if (depth === 0) return 'Start';
  const label = depthLabel(depth);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The first hex digits of an event hash (`ni:///sha-256;3f2a…?ver=CBV2.0` → "3f2a…"). */
export function shortHash(value: string): string {
  const hex = /[0-9a-f]{16,}/.exec(value)?.[0];
  return hex === undefined ? value : `${hex.slice(0, 12)}…`;
}
