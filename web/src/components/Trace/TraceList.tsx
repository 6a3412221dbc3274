import { Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { MUTED } from '../Transaction/colors';
import type { TraceEdge, TraceNode } from './api';
import { depthHeading, inverseRelationLabel, relationLabel } from './labels';
import { orderColumns } from './layout';
import { emphasisOf, NodeCard } from './NodeCard';
import { NodeName } from './NodeName';
import { edgeKey, uniqueEdges } from './path';
import type { TraceDisplayProps } from './TraceGraph';

/** The edges that lead from `node` one level nearer the start. */
function inward(node: TraceNode, edges: readonly TraceEdge[], depths: ReadonlyMap<string, number>) {
  const nearer = (id: string) => Math.abs(depths.get(id) ?? 0) < Math.abs(node.depth);
  return edges.filter(
    (edge) =>
      (edge.source === node.id && nearer(edge.target)) || (edge.target === node.id && nearer(edge.source)),
  );
}

/**
 * The trace as a list grouped by depth, for narrow screens and for reading top to bottom:
 * each node says what joins it to the level nearer the start.
 */
export function TraceList({ trace, selected, path, onSelect }: TraceDisplayProps) {
  const columns = useMemo(() => [...orderColumns(trace)].sort(([a], [b]) => a - b), [trace]);
  const edges = useMemo(() => uniqueEdges(trace.edges), [trace.edges]);
  const depths = useMemo(() => new Map(trace.nodes.map((node) => [node.id, node.depth])), [trace.nodes]);
  const roots = new Set(trace.roots);
  return (
    <Stack gap="md" aria-label="Trace by depth" role="group">
      {columns.map(([depth, nodes]) => (
        <Stack key={depth} gap="xs" component="section" aria-label={depthHeading(depth)}>
          <Title order={2} size="h6" tt="uppercase" c={MUTED}>
            {depthHeading(depth)} · {nodes.length}
          </Title>
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {nodes.map((node) => (
              <li key={node.id}>
                <NodeCard
                  node={node}
                  root={roots.has(node.id)}
                  emphasis={emphasisOf(node.id, selected, path)}
                  onSelect={onSelect}
                  style={{ width: '100%' }}
                />
                {inward(node, edges, depths).map((edge) => (
                  <Text key={edgeKey(edge)} size="xs" c={MUTED} pl="xs" pt={2}>
                    {edge.source === node.id
                      ? relationLabel(edge.relation)
                      : inverseRelationLabel(edge.relation)}{' '}
                    <NodeName id={edge.source === node.id ? edge.target : edge.source} />
                  </Text>
                ))}
              </li>
            ))}
          </Stack>
        </Stack>
      ))}
    </Stack>
  );
}
