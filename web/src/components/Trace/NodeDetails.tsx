import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertOctagon, IconRoute } from '@tabler/icons-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { useMe } from '../../api/queries';
import { mayRecall } from '../Recalls/permissions';
import { shipmentPath } from '../Shipments/ShipmentList';
import { LINK, MUTED } from '../Transaction/colors';
import { Facts } from '../Verify/Facts';
import { tracePath, type TraceNode } from './api';
import { EdgeStep } from './EdgeStep';
import { depthLabel, kindLabel } from './labels';
import { NodeName } from './NodeName';
import { edgeKey, type TracePath } from './path';

export interface NodeDetailsProps {
  readonly node: TraceNode;
  readonly root: boolean;
  readonly path: TracePath;
}

/** The chosen node: what it is, who holds it, and every step from the start to it with its proof. */
export function NodeDetails({ node, root, path }: NodeDetailsProps) {
  const me = useMe();
  const pathTitle = useId();
  const recallable = node.kind === 'lot' && me.data !== undefined && mayRecall(me.data);
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2} size="h4">
          <NodeName id={node.id} />
        </Title>
        <Facts
          facts={[
            { label: 'Kind', value: kindLabel(node.kind) },
            { label: 'Position', value: depthLabel(node.depth) },
            ...(node.shipment_id === null
              ? []
              : [
                  {
                    label: 'Shipment',
                    value: (
                      <Anchor c={LINK} component={Link} to={shipmentPath(node.shipment_id)}>
                        {node.shipment_id}
                      </Anchor>
                    ),
                  },
                ]),
            ...(node.holder_msp_id === null ? [] : [{ label: 'Held by', value: node.holder_msp_id }]),
          ]}
        />
        <Facts facts={[{ label: 'Identifier', value: node.id, mono: true }]} columns={1} />
        {(!root || recallable) && (
          <Group gap="xs" mt={4}>
            {!root && (
              <Button
                component={Link}
                to={tracePath(node.id)}
                variant="default"
                size="xs"
                leftSection={<IconRoute size={16} aria-hidden />}
              >
                Trace from here
              </Button>
            )}
            {recallable && (
              <Button
                component={Link}
                to={`/recalls/new?lot=${encodeURIComponent(node.id)}`}
                variant="default"
                size="xs"
                leftSection={<IconAlertOctagon size={16} aria-hidden />}
              >
                Recall this lot
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby={pathTitle}>
        <Title order={3} size="h5" id={pathTitle}>
          Path from the start
        </Title>
        {path.edges.length === 0 ? (
          <Text size="sm" c={MUTED}>
            {root ? 'The trace starts here.' : 'No recorded event joins this to the start.'}
          </Text>
        ) : (
          <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
            {path.edges.map((edge) => (
              <EdgeStep key={edgeKey(edge)} edge={edge} />
            ))}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}

/** The panel before anything is chosen: what choosing a node shows. */
export function NodeDetailsHint() {
  return (
    <Paper p="md" bg="var(--mantine-color-default-hover)" radius="md">
      <Text size="sm" c={MUTED}>
        Choose a lot, unit or shipment to see the path from the start to it, the EPCIS event behind each step
        and its proof on the ledger.
      </Text>
    </Paper>
  );
}
