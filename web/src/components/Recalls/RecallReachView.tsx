import { Anchor, Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { certificatePath } from '../Certificates/CertificateList';
import { ResponsiveList, type Column } from '../ResponsiveList';
import { shipmentPath } from '../Shipments/ShipmentList';
import { ShipmentStatusBadge } from '../Shipments/ShipmentStatusBadge';
import { tracePath } from '../Trace/api';
import { depthLabel, kindColor, kindLabel } from '../Trace/labels';
import { NodeName } from '../Trace/NodeName';
import { LINK, MUTED } from '../Transaction/colors';
import { Section } from '../Verify/Section';
import type { AffectedNode, PreviewShipment, RecallReach, RecalledShipment } from './api';

function count(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

function TraceLink({ id }: { readonly id: string }) {
  return (
    <Anchor c={LINK} component={Link} to={tracePath(id)} size="sm" fw={600}>
      <NodeName id={id} />
    </Anchor>
  );
}

function Lots({ lots }: { readonly lots: readonly string[] }) {
  return (
    <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Recalled lots">
      {lots.map((lot) => (
        <li key={lot}>
          <TraceLink id={lot} />
          <Text size="xs" c={MUTED} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {lot}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function Affected({ nodes }: { readonly nodes: readonly AffectedNode[] }) {
  if (nodes.length === 0) return <Text size="sm">Nothing downstream of these lots.</Text>;
  return (
    <Stack
      gap={6}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label="Affected lots and units"
    >
      {nodes.map((node) => (
        <Group key={node.id} component="li" gap="xs" wrap="nowrap" align="flex-start">
          <Badge size="xs" variant="light" color={kindColor(node.kind)} mt={3} style={{ flexShrink: 0 }}>
            {kindLabel(node.kind)}
          </Badge>
          <div style={{ minWidth: 0 }}>
            <TraceLink id={node.id} />
            <Text size="xs" c={MUTED}>
              {node.depth === 0 ? 'recalled' : depthLabel(node.depth)}
              {(node.holder_msp_id ?? null) !== null && ` · held by ${node.holder_msp_id ?? ''}`}
            </Text>
          </div>
        </Group>
      ))}
    </Stack>
  );
}

function ShipmentLink({ id }: { readonly id: string }) {
  return (
    <Anchor c={LINK} component={Link} to={shipmentPath(id)} fw={600} style={{ whiteSpace: 'nowrap' }}>
      {id}
    </Anchor>
  );
}

const COLUMNS: readonly Column<PreviewShipment>[] = [
  { header: 'Shipment', cell: (shipment) => <ShipmentLink id={shipment.id} /> },
  { header: 'Status', cell: (shipment) => <ShipmentStatusBadge status={shipment.status} /> },
  { header: 'Held by', cell: (shipment) => shipment.custodian_msp_id },
  { header: 'Owner', cell: (shipment) => shipment.owner_msp_id },
  { header: 'Destination', cell: (shipment) => shipment.destination_msp_id },
];

function ShipmentCard({ shipment }: { readonly shipment: PreviewShipment }) {
  return (
    <>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <ShipmentLink id={shipment.id} />
        <ShipmentStatusBadge status={shipment.status} />
      </Group>
      <Text size="sm">held by {shipment.custodian_msp_id}</Text>
      <Text size="xs" c={MUTED}>
        owned by {shipment.owner_msp_id} · to {shipment.destination_msp_id}
      </Text>
    </>
  );
}

/** The shipments a recall would reach, with their status and holders now. */
export function PreviewShipments({ shipments }: { readonly shipments: readonly PreviewShipment[] }) {
  if (shipments.length === 0) return <NoShipment />;
  return (
    <ResponsiveList
      label="Affected shipments"
      items={shipments}
      keyOf={(shipment) => shipment.id}
      columns={COLUMNS}
      card={(shipment) => <ShipmentCard shipment={shipment} />}
      minWidth={560}
    />
  );
}

/** The shipments a recorded recall reached, with who held each when it was recorded. */
export function RecalledShipments({ shipments }: { readonly shipments: readonly RecalledShipment[] }) {
  if (shipments.length === 0) return <NoShipment />;
  return (
    <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Affected shipments">
      {shipments.map((shipment) => (
        <Text key={shipment.id} component="li" size="sm">
          <ShipmentLink id={shipment.id} />
          {shipment.holder_msp_id !== null && ` · held by ${shipment.holder_msp_id} when recalled`}
        </Text>
      ))}
    </Stack>
  );
}

function NoShipment() {
  return <Text size="sm">No shipment carries these lots.</Text>;
}

function Organizations({ organizations }: { readonly organizations: readonly string[] }) {
  if (organizations.length === 0) return <Text size="sm">No organization.</Text>;
  return (
    <Group
      gap={6}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label="Organizations to notify"
    >
      {organizations.map((msp) => (
        <Badge key={msp} component="li" variant="outline" color="gray.8" size="lg" tt="none">
          {msp}
        </Badge>
      ))}
    </Group>
  );
}

function Certificates({ certificates }: { readonly certificates: readonly string[] }) {
  if (certificates.length === 0) return <Text size="sm">No certificate covers these lots.</Text>;
  return (
    <Stack
      gap={4}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label="Certificates involved"
    >
      {certificates.map((id) => (
        <li key={id}>
          <Anchor c={LINK} component={Link} to={certificatePath(id)} size="sm" fw={600}>
            {id}
          </Anchor>
        </li>
      ))}
    </Stack>
  );
}

/**
 * Everything a recall of some lots reaches: the lots and units made or packed from them,
 * the shipments that carry them and who holds each now, the organizations to notify and
 * the certificates that cover them. The same for a preview and for a recorded recall.
 */
export function RecallReachView({
  reach,
  shipments,
}: {
  readonly reach: RecallReach;
  /** The shipments, as the preview or the recorded recall knows them. */
  readonly shipments: ReactNode;
}) {
  const downstream = reach.affected.filter((node) => node.depth > 0).length;
  return (
    <Stack gap="md">
      <Text size="sm" role="status" aria-label="Recall reach">
        {count(reach.lots.length, 'lot', 'lots')} recalled, reaching{' '}
        {count(downstream, 'lot or unit', 'lots and units')} downstream in{' '}
        {count(reach.shipments.length, 'shipment', 'shipments')};{' '}
        {count(reach.organizations.length, 'organization', 'organizations')} to notify.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title="Recalled lots">
          <Lots lots={reach.lots} />
        </Section>
        <Section title="Affected lots and units">
          <Affected nodes={reach.affected} />
        </Section>
      </SimpleGrid>
      <Section title="Shipments and their holders">{shipments}</Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title="Organizations to notify">
          <Organizations organizations={reach.organizations} />
        </Section>
        <Section title="Certificates involved">
          <Certificates certificates={reach.certificates} />
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
