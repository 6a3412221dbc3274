import { describe, expect, it } from 'vitest';
import { edge, hash, LOT_A, LOT_B, PALLET, RAW, trace, UNIT } from './fixtures';
import { pathTo } from './path';

const pairs = (edges: readonly { source: string; target: string }[]) =>
  edges.map(({ source, target }) => [source, target]);

describe('pathTo', () => {
  it('follows the edges back from an upstream node to the root, nearest the root first', () => {
    const path = pathTo(trace, RAW);
    expect([...path.nodes].sort()).toEqual([LOT_A, RAW, UNIT].sort());
    expect(pairs(path.edges)).toEqual([
      [LOT_A, UNIT],
      [RAW, LOT_A],
    ]);
  });

  it('follows them forwards to a downstream node, and leaves the other branches off', () => {
    const path = pathTo(trace, PALLET);
    expect([...path.nodes].sort()).toEqual([PALLET, UNIT].sort());
    expect(pairs(path.edges)).toEqual([[UNIT, PALLET]]);
    expect(path.nodes.has(LOT_B)).toBe(false);
  });

  it('is the root alone for the root', () => {
    const path = pathTo(trace, UNIT);
    expect([...path.nodes]).toEqual([UNIT]);
    expect(path.edges).toEqual([]);
  });

  it('keeps every equally short route, and each edge once', () => {
    const twice = {
      roots: [UNIT],
      edges: [edge(LOT_A, UNIT), edge(LOT_A, UNIT), edge(LOT_A, UNIT, { event_id: hash('4') })],
    };
    expect(pathTo(twice, LOT_A).edges.map((step) => step.event_id)).toEqual([hash('1'), hash('4')]);
  });

  it('starts from whichever root is nearest when there are several', () => {
    const certificate = {
      roots: [LOT_A, LOT_B],
      edges: [edge(LOT_A, UNIT), edge(LOT_B, UNIT), edge(UNIT, PALLET, { event_id: hash('3') })],
    };
    const path = pathTo(certificate, PALLET);
    expect([...path.nodes].sort()).toEqual([LOT_A, LOT_B, PALLET, UNIT].sort());
    expect(path.edges).toHaveLength(3);
    expect(path.edges.at(-1)?.target).toBe(PALLET);
  });

  it('is the node alone when no edge joins it to a root', () => {
    const path = pathTo(trace, 'urn:provena:sku:ALONE');
    expect([...path.nodes]).toEqual(['urn:provena:sku:ALONE']);
    expect(path.edges).toEqual([]);
  });
});
