/**
 * The path from the start of a trace to one of its nodes: the nodes and edges a person
 * follows to see how a lot came to be where it is, or where it went.
 *
 * Edges are followed either way (upstream nodes are sources, downstream ones targets),
 * breadth first from every root. When several routes are equally short (a lot packed
 * twice, by two events, into the same unit) all of them are on the path.
 *
 *   lot A ──packed into──▶ unit U ◀──packed into── lot B      pathTo(B): U, B and B→U
 *                           (root)
 */
import type { TraceEdge, TraceView } from './api';

export interface TracePath {
  /** The ids of the nodes on the path, the root and the node itself included. */
  readonly nodes: ReadonlySet<string>;
  /** The edges on the path, from the root outwards. */
  readonly edges: readonly TraceEdge[];
}

/** One edge's identity: the same event may join several pairs, the same pair by several events. */
export function edgeKey(edge: TraceEdge): string {
  return `${edge.event_id} ${edge.source} ${edge.target}`;
}

/** Every edge once, by its key. */
export function uniqueEdges(edges: readonly TraceEdge[]): TraceEdge[] {
  const seen = new Map<string, TraceEdge>();
  for (const edge of edges) if (!seen.has(edgeKey(edge))) seen.set(edgeKey(edge), edge);
  return [...seen.values()];
}

/** How many edges each node is from the nearest root. */
function distances(trace: Pick<TraceView, 'roots' | 'edges'>): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = neighbours.get(from);
    if (list === undefined) neighbours.set(from, [to]);
    else list.push(to);
  };
  for (const edge of trace.edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
  }
  const distance = new Map<string, number>(trace.roots.map((root) => [root, 0]));
  const queue = [...trace.roots];
  // The queue grows while it is walked: an array's iterator reaches what is pushed onto it.
  for (const node of queue) {
    const next = (distance.get(node) ?? 0) + 1;
    for (const neighbour of neighbours.get(node) ?? []) {
      if (distance.has(neighbour)) continue;
      distance.set(neighbour, next);
      queue.push(neighbour);
    }
  }
  return distance;
}

/** The path from the roots to `target`; just `target` when no edge reaches it. */
export function pathTo(trace: Pick<TraceView, 'roots' | 'edges'>, target: string): TracePath {
  const distance = distances(trace);
  const edges = uniqueEdges(trace.edges);
  const nodes = new Set([target]);
  const onPath = new Set<TraceEdge>();
  const frontier = [target];
  // Walk back from the target, one step nearer a root each time, along every shortest route.
  for (const node of frontier) {
    const here = distance.get(node);
    if (here === undefined || here === 0) continue;
    for (const edge of edges) {
      const other = edge.source === node ? edge.target : edge.target === node ? edge.source : null;
      if (other === null || distance.get(other) !== here - 1) continue;
      onPath.add(edge);
      if (!nodes.has(other)) {
        nodes.add(other);
        frontier.push(other);
      }
    }
  }
  const nearer = (edge: TraceEdge) =>
    Math.min(distance.get(edge.source) ?? 0, distance.get(edge.target) ?? 0);
  const ordered = [...onPath].sort(
    (a, b) => nearer(a) - nearer(b) || a.event_time.localeCompare(b.event_time),
  );
  return { nodes, edges: ordered };
}
