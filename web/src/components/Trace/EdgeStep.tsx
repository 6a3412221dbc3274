import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconFileCode } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { describeError } from '../../api/errors';
import { retryTransient } from '../../api/queries';
import { epcisKeys, fetchEpcisEvent } from '../Epcis/api';
import { EpcisDocumentModal } from '../Epcis/EpcisDocumentModal';
import { ERROR, LINK, MUTED } from '../Transaction/colors';
import { formatDateTime } from '../Verify/format';
import { fetchEdgeProof, traceKeys, type EventProof, type TraceEdge } from './api';
import { bizStepLabel, nodeLabel, relationLabel, shortHash } from './labels';
import { NodeName } from './NodeName';

const VERIFIED = 'light-dark(var(--mantine-color-teal-9), var(--mantine-color-teal-3))';

function Proof({ proof }: { readonly proof: EventProof }) {
  const ledger = proof.proof;
  return (
    <Stack gap={2}>
      {proof.hash_verified ? (
        <Group gap={4} c={VERIFIED} wrap="nowrap">
          <IconCircleCheck size={18} aria-hidden />
          <Text size="sm" fw={600}>
            hash verified
          </Text>
        </Group>
      ) : (
        <Group gap={4} c={ERROR} wrap="nowrap">
          <IconCircleX size={18} aria-hidden />
          <Text size="sm" fw={600}>
            hash does not match the event
          </Text>
        </Group>
      )}
      <Text size="xs" c={MUTED}>
        <Badge
          component="span"
          size="xs"
          variant="light"
          color={ledger.validation_code === 'VALID' ? 'teal' : 'red'}
          mr={4}
        >
          {ledger.validation_code}
        </Badge>
        block {ledger.block_number} · {formatDateTime(ledger.timestamp)} · submitted by{' '}
        {ledger.creator_msp_id} · endorsed by {ledger.endorsers.join(', ') || '—'}
      </Text>
    </Stack>
  );
}

/**
 * One step of a path: which event joined two nodes, the ledger's proof of it (its hash
 * recomputed, the transaction that stored it), and the event itself on request.
 */
export function EdgeStep({ edge }: { readonly edge: TraceEdge }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const proof = useQuery({
    queryKey: traceKeys.proof(edge.event_id),
    queryFn: () => fetchEdgeProof(api, edge.event_id),
    retry: retryTransient,
    staleTime: Infinity,
  });
  return (
    <Paper
      withBorder
      p="sm"
      component="li"
      aria-label={`${nodeLabel(edge.source)} ${relationLabel(edge.relation)} ${nodeLabel(edge.target)}`}
    >
      <Stack gap={6}>
        <Text size="sm">
          <b>
            <NodeName id={edge.source} />
          </b>{' '}
          {relationLabel(edge.relation)}{' '}
          <b>
            <NodeName id={edge.target} />
          </b>
        </Text>
        <Text size="xs" c={MUTED}>
          {edge.event_type}
          {edge.biz_step !== null && ` · ${bizStepLabel(edge.biz_step)}`} · {formatDateTime(edge.event_time)}{' '}
          ·{' '}
          <Anchor
            c={LINK}
            component={Link}
            to={`/network?tx=${encodeURIComponent(edge.tx_id)}`}
            size="xs"
            ff="monospace"
          >
            tx {edge.tx_id.slice(0, 12)}…
          </Anchor>
        </Text>
        {proof.isPending && (
          <Group gap="xs" role="status">
            <Loader size="xs" aria-hidden />
            <Text size="xs">Checking the ledger proof…</Text>
          </Group>
        )}
        {proof.isError && (
          <Text size="xs" c={ERROR} role="alert">
            No ledger proof: {describeError(proof.error).message}
          </Text>
        )}
        {proof.isSuccess && <Proof proof={proof.data} />}
        <Group>
          <Button
            variant="default"
            size="compact-xs"
            leftSection={<IconFileCode size={14} aria-hidden />}
            onClick={() => {
              setOpen(true);
            }}
          >
            EPCIS event
          </Button>
        </Group>
      </Stack>
      <EpcisDocumentModal
        opened={open}
        onClose={() => {
          setOpen(false);
        }}
        title={`EPCIS event ${shortHash(edge.event_id)}`}
        queryKey={epcisKeys.event(edge.event_id)}
        load={() => fetchEpcisEvent(api, edge.event_id)}
        fileName={`epcis-event-${shortHash(edge.event_id).replace('…', '')}.jsonld`}
      />
    </Paper>
  );
}
