import { Badge, Group, Paper, Text, VisuallyHidden } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { MUTED } from '../Transaction/colors';
import type { TraceNode } from './api';
import { depthLabel, kindColor, kindLabel, nodeLabel } from './labels';
import { NodeName } from './NodeName';
import type { TracePath } from './path';

/** How a node stands while someone follows a path: chosen, on its path, off it, or none chosen. */
export type Emphasis = 'selected' | 'path' | 'dimmed' | 'none';

/** How a node looks given the selection: chosen, on the path to it, or off it. */
export function emphasisOf(id: string, selected: string | null, path: TracePath | null): Emphasis {
  if (selected === null || path === null) return 'none';
  if (id === selected) return 'selected';
  return path.nodes.has(id) ? 'path' : 'dimmed';
}

const ACCENT = 'light-dark(var(--mantine-color-teal-7), var(--mantine-color-teal-4))';

function frame(emphasis: Emphasis, root: boolean): CSSProperties {
  switch (emphasis) {
    case 'selected':
      return { border: `2px solid ${ACCENT}`, background: 'var(--mantine-color-teal-light)' };
    case 'path':
      return { border: `2px solid ${ACCENT}` };
    case 'dimmed':
      return {
        border: '1px dashed light-dark(var(--mantine-color-gray-4), var(--mantine-color-dark-4))',
        background: 'light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-7))',
        boxShadow: 'none',
      };
    case 'none':
      return root ? { border: `2px solid ${ACCENT}` } : {};
  }
}

/** The shipment a unit is, unless its label already says so ("Shipment SHP-1"). */
function shipmentOf(node: TraceNode): string | null {
  if (node.shipment_id === null || nodeLabel(node.id).includes(node.shipment_id)) return null;
  return `shipment ${node.shipment_id}`;
}

function Detail({ children }: { readonly children: ReactNode }) {
  return (
    <Text size="xs" c={MUTED} lh={1.2} truncate w="100%">
      {children}
    </Text>
  );
}

export interface NodeCardProps {
  readonly node: TraceNode;
  readonly root: boolean;
  readonly emphasis: Emphasis;
  readonly onSelect: (id: string) => void;
  readonly style?: CSSProperties;
}

/** One lot, unit or shipment of a trace, as a card that selects it. */
export function NodeCard({ node, root, emphasis, onSelect, style }: NodeCardProps) {
  const shipment = shipmentOf(node);
  return (
    <Paper
      component="button"
      type="button"
      withBorder
      shadow={emphasis === 'selected' ? 'sm' : 'xs'}
      p={8}
      aria-pressed={emphasis === 'selected'}
      data-node={node.id}
      data-emphasis={emphasis}
      title={node.id}
      onClick={() => {
        onSelect(node.id);
      }}
      style={{
        cursor: 'pointer',
        textAlign: 'left',
        display: 'flex',
        flexDirection: 'column',
        gap: 4,
        font: 'inherit',
        color: 'inherit',
        ...frame(emphasis, root),
        ...style,
      }}
    >
      <Group gap={4} wrap="nowrap" justify="space-between" w="100%">
        <Badge size="xs" variant="light" color={kindColor(node.kind)}>
          {kindLabel(node.kind)}
        </Badge>
        {root && (
          <Badge size="xs" variant="filled">
            Start
          </Badge>
        )}
      </Group>
      <Text size="xs" fw={600} lh={1.3} lineClamp={2} w="100%">
        <NodeName id={node.id} />
      </Text>
      {shipment !== null && <Detail>{shipment}</Detail>}
      {node.holder_msp_id !== null && <Detail>held by {node.holder_msp_id}</Detail>}
      <VisuallyHidden>({depthLabel(node.depth)})</VisuallyHidden>
    </Paper>
  );
}
