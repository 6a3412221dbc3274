/**
 * Where each card and line of the trace graph goes: one column per depth, upstream on the
 * left, the start in the middle, downstream on the right.
 *
 *    depth −2        −1          0          +1
 *   ┌──────┐     ┌──────┐    ┌──────┐    ┌──────┐
 *   │ lot  │────▶│ lot  │───▶│ unit │───▶│ unit │
 *   └──────┘     └──────┘    └──────┘    └──────┘
 *
 * Columns are filled from the start outwards, and each node goes where its neighbours in
 * the column nearer the start are on average (the barycentre heuristic), so lines cross
 * little; a shorter column is centred on the tallest. A fan of lines with one relation (a
 * lot packed into forty shipments) carries its label once, on its middle line.
 */
import type { TraceEdge, TraceNode, TraceView } from './api';
import { nodeLabel } from './labels';
import { uniqueEdges } from './path';

export const CARD_WIDTH = 180;
/** Room for the kind, a two-line label, the shipment and the holder. */
export const CARD_HEIGHT = 104;
/** Wide enough for a "transformed into" label between two arrowheads. */
export const COLUMN_GAP = 108;
/** From this many lines out of (or into) one node with one relation, one label says it for all. */
export const FAN = 4;
export const ROW_GAP = 14;
/** Room above the cards for the column headings. */
export const HEADER_HEIGHT = 28;
const PITCH = CARD_HEIGHT + ROW_GAP;

export interface PlacedNode {
  readonly node: TraceNode;
  readonly x: number;
  readonly y: number;
}

/** The line between two nodes, for every event that joins them with the same relation. */
export interface Link {
  readonly key: string;
  readonly source: string;
  readonly target: string;
  readonly relation: string;
  readonly edges: readonly TraceEdge[];
  /** The SVG path of its curve. */
  readonly d: string;
  /** Where its label goes: the middle of the curve. */
  readonly labelX: number;
  readonly labelY: number;
  /** Whether it shows its label: in a fan of lines, only the middle one does. */
  readonly labelled: boolean;
}

export interface Column {
  readonly depth: number;
  readonly x: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly Column[];
  readonly nodes: readonly PlacedNode[];
  readonly links: readonly Link[];
}

/** The nodes of each depth, each column ordered so that lines cross little. */
export function orderColumns(trace: Pick<TraceView, 'roots' | 'nodes' | 'edges'>): Map<number, TraceNode[]> {
  const byDepth = new Map<number, TraceNode[]>();
  for (const node of trace.nodes) {
    const column = byDepth.get(node.depth);
    if (column === undefined) byDepth.set(node.depth, [node]);
    else column.push(node);
  }
  const neighbours = new Map<string, string[]>();
  for (const edge of trace.edges) {
    for (const [from, to] of [
      [edge.source, edge.target],
      [edge.target, edge.source],
    ] as const) {
      const list = neighbours.get(from);
      if (list === undefined) neighbours.set(from, [to]);
      else list.push(to);
    }
  }
  const row = new Map<string, number>();
  const rootOrder = new Map(trace.roots.map((root, index) => [root, index]));
  const place = (depth: number) => {
    const column = byDepth.get(depth);
    if (column === undefined) return;
    const centre = (node: TraceNode) => {
      if (depth === 0) return rootOrder.get(node.id) ?? Number.MAX_SAFE_INTEGER;
      const rows = (neighbours.get(node.id) ?? []).flatMap((id) => {
        const at = row.get(id);
        return at === undefined ? [] : [at];
      });
      return rows.length === 0 ? Number.MAX_SAFE_INTEGER : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const centres = new Map(column.map((node) => [node.id, centre(node)]));
    column.sort(
      (a, b) =>
        (centres.get(a.id) ?? 0) - (centres.get(b.id) ?? 0) || nodeLabel(a.id).localeCompare(nodeLabel(b.id)),
    );
    column.forEach((node, index) => row.set(node.id, index));
  };
  const depths = [...byDepth.keys()];
  place(0);
  for (let depth = 1; depth <= Math.max(0, ...depths); depth += 1) place(depth);
  for (let depth = -1; depth >= Math.min(0, ...depths); depth -= 1) place(depth);
  return byDepth;
}

/** A cubic curve from the right edge of one card to the left edge of another. */
function curve(source: PlacedNode, target: PlacedNode): { d: string; x: number; y: number } {
  const sy = source.y + CARD_HEIGHT / 2;
  const ty = target.y + CARD_HEIGHT / 2;
  const forwards = target.x > source.x;
  // Forwards: right side to left side. Otherwise (same or an earlier column, which happens
  // when a node is reached both ways) a loop out of the right side into the right side.
  const sx = source.x + CARD_WIDTH;
  const tx = forwards ? target.x : target.x + CARD_WIDTH;
  const bend = forwards ? Math.max(24, (tx - sx) / 2) : COLUMN_GAP / 2;
  const c1 = sx + bend;
  const c2 = forwards ? tx - bend : tx + bend;
  return {
    d: `M ${String(sx)} ${String(sy)} C ${String(c1)} ${String(sy)}, ${String(c2)} ${String(ty)}, ${String(tx)} ${String(ty)}`,
    // The curve's middle (t = ½): (P0 + 3 P1 + 3 P2 + P3) / 8.
    x: (sx + 3 * c1 + 3 * c2 + tx) / 8,
    y: (sy + ty) / 2,
  };
}

export function layoutTrace(trace: Pick<TraceView, 'roots' | 'nodes' | 'edges'>): GraphLayout {
  const byDepth = orderColumns(trace);
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  const tallest = Math.max(1, ...[...byDepth.values()].map((column) => column.length));
  const columns = depths.map((depth, index) => ({ depth, x: index * (CARD_WIDTH + COLUMN_GAP) }));
  const placed = new Map<string, PlacedNode>();
  for (const { depth, x } of columns) {
    const column = byDepth.get(depth) ?? [];
    const offset = ((tallest - column.length) * PITCH) / 2;
    column.forEach((node, index) => {
      placed.set(node.id, { node, x, y: HEADER_HEIGHT + offset + index * PITCH });
    });
  }
  const grouped = new Map<string, TraceEdge[]>();
  for (const edge of uniqueEdges(trace.edges)) {
    const key = `${edge.source} ${edge.target} ${edge.relation}`;
    const group = grouped.get(key);
    if (group === undefined) grouped.set(key, [edge]);
    else group.push(edge);
  }
  const links: Omit<Link, 'labelled'>[] = [];
  for (const [key, edges] of grouped) {
    const [first] = edges;
    if (first === undefined) continue;
    const source = placed.get(first.source);
    const target = placed.get(first.target);
    if (source === undefined || target === undefined) continue;
    const { d, x, y } = curve(source, target);
    links.push({
      key,
      source: first.source,
      target: first.target,
      relation: first.relation,
      edges,
      d,
      labelX: x,
      labelY: y,
    });
  }
  const labelled = fanLabels(links, placed);
  const width = Math.max(CARD_WIDTH, columns.length * (CARD_WIDTH + COLUMN_GAP) - COLUMN_GAP);
  // A loop into an earlier column bends out past the last one: leave it room.
  const loops = links.some((link) => (placed.get(link.target)?.x ?? 0) <= (placed.get(link.source)?.x ?? 0));
  return {
    width: width + (loops ? COLUMN_GAP / 2 : 0),
    height: HEADER_HEIGHT + tallest * PITCH - ROW_GAP,
    columns,
    nodes: [...placed.values()],
    links: links.map((link) => ({ ...link, labelled: labelled.has(link.key) })),
  };
}

/** The keys of the links that show their label: all, except in fans, where the middle one. */
function fanLabels(
  links: readonly Omit<Link, 'labelled'>[],
  placed: ReadonlyMap<string, PlacedNode>,
): Set<string> {
  const fans = new Map<string, Omit<Link, 'labelled'>[]>();
  for (const link of links) {
    for (const end of [`out ${link.source}`, `in ${link.target}`]) {
      const fan = fans.get(`${end} ${link.relation}`);
      if (fan === undefined) fans.set(`${end} ${link.relation}`, [link]);
      else fan.push(link);
    }
  }
  const shown = new Set(links.map((link) => link.key));
  for (const [end, fan] of fans) {
    if (fan.length < FAN) continue;
    const far = (link: Omit<Link, 'labelled'>) =>
      placed.get(end.startsWith('out') ? link.target : link.source)?.y ?? 0;
    const middle = [...fan].sort((a, b) => far(a) - far(b))[Math.floor(fan.length / 2)];
    for (const link of fan) if (link !== middle) shown.delete(link.key);
  }
  return shown;
}
