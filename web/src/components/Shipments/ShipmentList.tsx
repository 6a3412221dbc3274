import { Anchor, Card, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ShipmentSummary } from './api';
import { ShipmentStatusBadge } from './ShipmentStatusBadge';
import { formatDay } from '../Certificates/format';
import { LINK, MUTED } from '../Transaction/colors';

export function shipmentPath(id: string): string {
  return `/shipments/${encodeURIComponent(id)}`;
}

function ShipmentLink({ shipment }: { readonly shipment: ShipmentSummary }) {
  return (
    <Anchor
      c={LINK}
      component={Link}
      to={shipmentPath(shipment.id)}
      fw={600}
      style={{ whiteSpace: 'nowrap' }}
    >
      {shipment.id}
    </Anchor>
  );
}

function destinationOf(shipment: ShipmentSummary): string {
  const { destination_msp_id: msp, destination_location: location } = shipment;
  return location === null ? msp : `${msp}, ${location}`;
}

/** Who the shipment waits for, if anyone: the organization a transfer was offered to. */
function Offered({ shipment }: { readonly shipment: ShipmentSummary }) {
  if (shipment.pending_transfer_to_msp_id === null) return null;
  return (
    <Text size="xs" c={MUTED}>
      offered to {shipment.pending_transfer_to_msp_id}
    </Text>
  );
}

/**
 * Shipments as a table on wide screens and as cards on a phone, where a table of
 * six columns cannot be read.
 */
export function ShipmentList({ shipments }: { readonly shipments: readonly ShipmentSummary[] }) {
  return (
    <>
      <Table.ScrollContainer minWidth={720} visibleFrom="sm">
        <Table striped highlightOnHover aria-label="Shipments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Shipment</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Origin</Table.Th>
              <Table.Th>Destination</Table.Th>
              <Table.Th>Holder</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shipments.map((shipment) => (
              <Table.Tr key={shipment.id}>
                <Table.Td>
                  <ShipmentLink shipment={shipment} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <ShipmentStatusBadge status={shipment.status} />
                  <Offered shipment={shipment} />
                </Table.Td>
                <Table.Td>{shipment.origin}</Table.Td>
                <Table.Td>{destinationOf(shipment)}</Table.Td>
                <Table.Td>{shipment.custodian_msp_id}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(shipment.created_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack
        gap="sm"
        hiddenFrom="sm"
        component="ul"
        aria-label="Shipments"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {shipments.map((shipment) => (
          <Card key={shipment.id} component="li" withBorder padding="sm" aria-label={shipment.id}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <ShipmentLink shipment={shipment} />
              <ShipmentStatusBadge status={shipment.status} />
            </Group>
            <Text size="sm">
              {shipment.origin} → {destinationOf(shipment)}
            </Text>
            <Text size="xs" c={MUTED}>
              held by {shipment.custodian_msp_id} · {formatDay(shipment.created_at)}
            </Text>
            <Offered shipment={shipment} />
          </Card>
        ))}
      </Stack>
    </>
  );
}
