import { describe, expect, it } from 'vitest';
import { edge, LOT_A, PALLET, RAW, trace, UNIT } from './fixtures';
import { CARD_WIDTH, COLUMN_GAP, FAN, layoutTrace, orderColumns } from './layout';

describe('layoutTrace', () => {
  it('puts upstream on the left, the start in the middle and downstream on the right', () => {
    const layout = layoutTrace(trace);
    expect(layout.columns.map((column) => column.depth)).toEqual([-2, -1, 0, 1]);
    const x = (id: string) => layout.nodes.find((placed) => placed.node.id === id)?.x;
    expect(x(RAW)).toBe(0);
    expect(x(LOT_A)).toBe(CARD_WIDTH + COLUMN_GAP);
    expect(x(UNIT)).toBe(2 * (CARD_WIDTH + COLUMN_GAP));
    expect(x(PALLET)).toBe(3 * (CARD_WIDTH + COLUMN_GAP));
    expect(layout.width).toBe(4 * CARD_WIDTH + 3 * COLUMN_GAP);
  });

  it('draws one line per pair and relation, however many events join them', () => {
    const layout = layoutTrace({ ...trace, edges: [...trace.edges, edge(LOT_A, UNIT, { event_id: 'x' })] });
    const line = layout.links.find((link) => link.source === LOT_A && link.target === UNIT);
    expect(line?.edges).toHaveLength(2);
    expect(layout.links).toHaveLength(4);
  });

  it('orders a column by where its neighbours nearer the start are, so lines cross little', () => {
    const wide = {
      roots: ['r1', 'r2'],
      nodes: [
        { id: 'r1', kind: 'lot' as const, depth: 0, shipment_id: null, holder_msp_id: null },
        { id: 'r2', kind: 'lot' as const, depth: 0, shipment_id: null, holder_msp_id: null },
        { id: 'a', kind: 'other' as const, depth: 1, shipment_id: null, holder_msp_id: null },
        { id: 'b', kind: 'other' as const, depth: 1, shipment_id: null, holder_msp_id: null },
      ],
      edges: [edge('r2', 'a'), edge('r1', 'b')],
    };
    expect(
      orderColumns(wide)
        .get(1)
        ?.map((node) => node.id),
    ).toEqual(['b', 'a']);
  });

  it('labels a fan of lines once, on its middle line', () => {
    const units = Array.from({ length: FAN + 1 }, (_, index) => `urn:provena:shipment:S${String(index)}`);
    const fan = {
      roots: [LOT_A],
      nodes: [
        { id: LOT_A, kind: 'lot' as const, depth: 0, shipment_id: null, holder_msp_id: null },
        ...units.map((id) => ({
          id,
          kind: 'logistic_unit' as const,
          depth: 1,
          shipment_id: null,
          holder_msp_id: null,
        })),
      ],
      edges: units.map((id) => edge(LOT_A, id)),
    };
    const labelled = layoutTrace(fan).links.filter((link) => link.labelled);
    expect(labelled.map((link) => link.target)).toEqual([units[2]]);
    expect(layoutTrace(trace).links.every((link) => link.labelled)).toBe(true);
  });
});
