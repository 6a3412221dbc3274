import { Box, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { MUTED } from '../Transaction/colors';
import type { TraceView } from './api';
import { depthHeading, relationLabel } from './labels';
import { CARD_HEIGHT, CARD_WIDTH, type GraphLayout, type Link } from './layout';
import { emphasisOf, NodeCard } from './NodeCard';
import { edgeKey, type TracePath } from './path';

const LINE = 'light-dark(var(--mantine-color-gray-6), var(--mantine-color-dark-2))';
const FAINT = 'light-dark(var(--mantine-color-gray-3), var(--mantine-color-dark-5))';
const ACCENT = 'light-dark(var(--mantine-color-teal-7), var(--mantine-color-teal-4))';
const LABEL_ON_PATH = 'light-dark(var(--mantine-color-teal-9), var(--mantine-color-teal-3))';

/** What the graph and the list both show: the trace, the chosen node and its path. */
export interface TraceDisplayProps {
  readonly trace: TraceView;
  readonly selected: string | null;
  readonly path: TracePath | null;
  readonly onSelect: (id: string) => void;
}

type LinkState = 'path' | 'dimmed' | 'none';

/** A link is on the path when one of its events is; `onPath` holds their edge keys. */
function linkState(link: Link, onPath: ReadonlySet<string> | null): LinkState {
  if (onPath === null) return 'none';
  return link.edges.some((edge) => onPath.has(edgeKey(edge))) ? 'path' : 'dimmed';
}

function Curve({ link, state }: { readonly link: Link; readonly state: LinkState }) {
  const colour = state === 'path' ? ACCENT : state === 'dimmed' ? FAINT : LINE;
  return (
    <path
      d={link.d}
      data-link={link.key}
      data-emphasis={state}
      fill="none"
      strokeWidth={state === 'path' ? 3 : 1.5}
      strokeDasharray={link.relation === 'transformed_into' ? '6 4' : undefined}
      markerEnd={`url(#trace-arrow-${state})`}
      style={{ stroke: colour }}
    />
  );
}

function Arrow({ id, colour }: { readonly id: string; readonly colour: string }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerUnits="userSpaceOnUse"
      markerWidth="10"
      markerHeight="10"
      orient="auto"
    >
      <path d="M 0 0 L 10 5 L 0 10 z" style={{ fill: colour }} />
    </marker>
  );
}

export interface TraceGraphProps extends TraceDisplayProps {
  /** The trace laid out (`layoutTrace`), which the page also measures. */
  readonly layout: GraphLayout;
}

/**
 * The trace as a graph: a column per depth, cards for nodes, curves for the events that
 * join them, each labelled by its relation. It scrolls both ways inside its frame and
 * opens centred on the start; a chosen node's path is drawn strong, the rest faint.
 */
export function TraceGraph({ trace, layout, selected, path, onSelect }: TraceGraphProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const roots = useMemo(() => new Set(trace.roots), [trace.roots]);
  const onPath = useMemo(() => (path === null ? null : new Set(path.edges.map(edgeKey))), [path]);
  // What the graph opens centred on: the node chosen (in the list, before switching to
  // the graph), else the start.
  const [focus] = useState(selected);

  useEffect(() => {
    const frame = viewport.current;
    const centre =
      layout.nodes.find((placed) => placed.node.id === focus) ??
      layout.nodes.find((placed) => roots.has(placed.node.id));
    if (frame === null || centre === undefined) return;
    frame.scrollLeft = centre.x + CARD_WIDTH / 2 - frame.clientWidth / 2;
    frame.scrollTop = centre.y + CARD_HEIGHT / 2 - frame.clientHeight / 2;
  }, [layout, roots, focus]);

  return (
    <Box
      ref={viewport}
      role="group"
      aria-label="Trace graph"
      style={{ overflow: 'auto', maxHeight: '70vh', overscrollBehavior: 'contain' }}
    >
      <Box pos="relative" w={layout.width} h={layout.height} mx="auto" my={4}>
        <svg
          width={layout.width}
          height={layout.height}
          aria-hidden
          focusable="false"
          style={{ position: 'absolute', inset: 0, overflow: 'visible' }}
        >
          <defs>
            <Arrow id="trace-arrow-none" colour={LINE} />
            <Arrow id="trace-arrow-path" colour={ACCENT} />
            <Arrow id="trace-arrow-dimmed" colour={FAINT} />
          </defs>
          {layout.links.map((link) => (
            <Curve key={link.key} link={link} state={linkState(link, onPath)} />
          ))}
        </svg>
        {layout.columns.map((column) => (
          <Text
            key={column.depth}
            size="xs"
            fw={600}
            c={MUTED}
            ta="center"
            tt="uppercase"
            pos="absolute"
            top={0}
            left={column.x}
            w={CARD_WIDTH}
          >
            {depthHeading(column.depth)}
          </Text>
        ))}
        {layout.links.map((link) => {
          if (!link.labelled) return null;
          const strong = linkState(link, onPath) === 'path';
          return (
            <Text
              key={link.key}
              component="span"
              aria-hidden
              size="10px"
              fw={strong ? 700 : 500}
              c={strong ? LABEL_ON_PATH : MUTED}
              pos="absolute"
              left={link.labelX}
              top={link.labelY}
              px={4}
              style={{
                transform: 'translate(-50%, -50%)',
                whiteSpace: 'nowrap',
                borderRadius: 'var(--mantine-radius-sm)',
                background: 'var(--mantine-color-body)',
                pointerEvents: 'none',
              }}
            >
              {relationLabel(link.relation)}
              {link.edges.length > 1 && ` ×${String(link.edges.length)}`}
            </Text>
          );
        })}
        {layout.nodes.map(({ node, x, y }) => (
          <NodeCard
            key={node.id}
            node={node}
            root={roots.has(node.id)}
            emphasis={emphasisOf(node.id, selected, path)}
            onSelect={onSelect}
            style={{ position: 'absolute', left: x, top: y, width: CARD_WIDTH, height: CARD_HEIGHT }}
          />
        ))}
      </Box>
    </Box>
  );
}
