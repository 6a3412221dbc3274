import {
  Alert,
  Box,
  Button,
  Flex,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useElementSize, useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconRoute, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState, type SubmitEvent } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { ApiError } from '../../api/errors';
import { retryTransient } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { fetchTrace, traceKeys, type TraceView } from '../../components/Trace/api';
import { nodeLabel } from '../../components/Trace/labels';
import { NodeDetails, NodeDetailsHint } from '../../components/Trace/NodeDetails';
import { pathTo, uniqueEdges } from '../../components/Trace/path';
import { layoutTrace } from '../../components/Trace/layout';
import { TraceGraph } from '../../components/Trace/TraceGraph';
import { TraceList } from '../../components/Trace/TraceList';
import { MUTED } from '../../components/Transaction/colors';
import { usePageTitle } from '../../hooks/usePageTitle';

type Layout = 'graph' | 'list';

const PANEL_WIDTH = 340;
const GAP = 16;
const FRAME_PADDING = 10;
/** The graph's frame around its drawing: padding and border. */
const FRAME = 2 * FRAME_PADDING + 2;
/** The narrowest a list by depth reads well beside the panel. */
const LIST_WIDTH = 360;
/** Below the app's header (60 px), with a margin. */
const HEADER_OFFSET = 76;

function SearchForm({
  initial,
  onSearch,
}: {
  readonly initial: string;
  readonly onSearch: (id: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = value.trim();
    if (id !== '') onSearch(id);
  };
  return (
    <form onSubmit={submit} aria-label="Trace an identifier">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Identifier"
          description="A lot (GS1 Digital Link or EPC URN), a logistic unit, a shipment id or a certificate id"
          placeholder="https://id.gs1.org/01/08437001001019/10/LOT-TOM-2026-014"
          value={value}
          onChange={(event) => {
            setValue(event.currentTarget.value);
          }}
          required
          style={{ flex: 1, minWidth: 240 }}
        />
        <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />}>
          Trace
        </Button>
      </Group>
    </form>
  );
}

function count(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

/** "GTIN … lot …: 1 upstream, 3 downstream, joined by 4 events." */
function summary(trace: TraceView): string {
  const upstream = trace.nodes.filter((node) => node.depth < 0).length;
  const downstream = trace.nodes.filter((node) => node.depth > 0).length;
  const events = new Set(trace.edges.map((edge) => edge.event_id)).size;
  const start =
    trace.roots.length === 1 ? nodeLabel(trace.roots[0] ?? '') : count(trace.roots.length, 'lot', 'lots');
  return `${start}: ${String(upstream)} upstream, ${String(downstream)} downstream, joined by ${count(events, 'event', 'events')}.`;
}

function Explorer({ trace }: { readonly trace: TraceView }) {
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [chosenLayout, setLayout] = useState<Layout | null>(null);
  const layout = chosenLayout ?? (phone ? 'list' : 'graph');
  const [selected, setSelected] = useState<string | null>(null);
  const path = useMemo(() => (selected === null ? null : pathTo(trace, selected)), [trace, selected]);
  const node = trace.nodes.find((candidate) => candidate.id === selected);
  const panel = useRef<HTMLDivElement>(null);
  const graph = useMemo(() => layoutTrace(trace), [trace]);
  // The panel goes beside the trace only when the whole graph (or a readable list) fits
  // next to it; otherwise below, where it has the full width.
  const { ref: row, width } = useElementSize();
  const needed = (layout === 'graph' ? graph.width + FRAME : LIST_WIDTH) + GAP + PANEL_WIDTH;
  const beside = width >= needed;
  const select = (id: string) => {
    setSelected(id);
    // Below the trace, the panel may be out of sight: bring its top into view.
    const top = panel.current?.getBoundingClientRect().top ?? 0;
    if (!beside && top > window.innerHeight - 120) {
      panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  };
  const transformed = uniqueEdges(trace.edges).some((edge) => edge.relation === 'transformed_into');

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Text size="sm" role="status" aria-label="Trace summary">
          {summary(trace)}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Show the trace as"
          value={layout}
          onChange={(value) => {
            setLayout(value);
          }}
          data={[
            { value: 'graph', label: 'Graph' },
            { value: 'list', label: 'List' },
          ]}
        />
      </Group>
      {trace.edges.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconRoute aria-hidden />} title="Nothing joined to it">
          No EPCIS event your organization may see packs or transforms{' '}
          {trace.roots.length === 1 ? nodeLabel(trace.roots[0] ?? '') : 'these lots'} into anything, or
          anything into {trace.roots.length === 1 ? 'it' : 'them'}.
        </Alert>
      )}
      {trace.truncated && (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title="The trace goes further"
        >
          Provena stopped following it after {count(trace.levels, 'level', 'levels')}: the outermost lots and
          units lead further. Trace from one of them to follow it.
        </Alert>
      )}
      <Flex
        ref={row}
        direction={beside ? 'row' : 'column'}
        gap={GAP}
        align={beside ? 'flex-start' : 'stretch'}
      >
        <Paper withBorder p={FRAME_PADDING} style={{ flex: 1, minWidth: 0 }}>
          {layout === 'graph' ? (
            <>
              <TraceGraph trace={trace} layout={graph} selected={selected} path={path} onSelect={select} />
              <Text size="xs" c={MUTED} mt="xs">
                Upstream on the left, downstream on the right; each line is an EPCIS event.
                {transformed && ' Dashed lines are transformations.'}
              </Text>
            </>
          ) : (
            <TraceList trace={trace} selected={selected} path={path} onSelect={select} />
          )}
        </Paper>
        <Box
          ref={panel}
          w={beside ? PANEL_WIDTH : '100%'}
          pos={beside ? 'sticky' : 'static'}
          top={HEADER_OFFSET}
          style={{ flexShrink: 0, scrollMarginTop: HEADER_OFFSET }}
          component="aside"
          aria-label="Details"
        >
          {node === undefined || path === null ? (
            <NodeDetailsHint />
          ) : (
            <Paper withBorder p="md">
              <NodeDetails node={node} root={trace.roots.includes(node.id)} path={path} />
            </Paper>
          )}
        </Box>
      </Flex>
    </Stack>
  );
}

function TraceResult({ id }: { readonly id: string }) {
  const api = useApi();
  const trace = useQuery({
    queryKey: traceKeys.graph(id),
    queryFn: () => fetchTrace(api, id),
    retry: retryTransient,
  });
  if (trace.isPending) return <PageLoader label={`Tracing ${id}…`} />;
  if (trace.isError) {
    if (trace.error instanceof ApiError && trace.error.status === 404) {
      return (
        <Paper withBorder p="xl" ta="center">
          <IconRoute size={36} stroke={1.4} aria-hidden />
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            Nothing to trace from {id}
          </Text>
          <Text c={MUTED} size="sm">
            No lot, unit, shipment or certificate that your organization may see goes by this identifier.
          </Text>
        </Paper>
      );
    }
    return (
      <ErrorState error={trace.error} heading={`Could not trace ${id}`}>
        <Button variant="default" size="xs" onClick={() => void trace.refetch()}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  return <Explorer key={id} trace={trace.data} />;
}

/** Trace: where something came from and where it went, with the proof of every step. */
export function TracePage() {
  const [params, setParams] = useSearchParams();
  const id = params.get('id')?.trim() ?? '';
  usePageTitle(id === '' ? 'Trace' : `Trace ${nodeLabel(id)}`);
  const { status } = useAuth();
  const { pathname, search } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="the trace" returnTo={`${pathname}${search}`} />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Trace</Title>
        <Text c={MUTED}>
          Where a lot, unit or shipment came from and where it went, with the EPCIS event and the ledger proof
          of every step.
        </Text>
      </div>
      <SearchForm
        key={id}
        initial={id}
        onSearch={(next) => {
          setParams({ id: next });
        }}
      />
      {id !== '' && <TraceResult id={id} />}
    </Stack>
  );
}
