import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ShipmentSummary } from './api';
import { ShipmentStatusBadge } from './ShipmentStatusBadge';
import { formatDay } from '../Certificates/format';
import { ResponsiveList, type Column } from '../ResponsiveList';
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

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const COLUMNS: readonly Column<ShipmentSummary>[] = [
  { header: 'Shipment', cell: (shipment) => <ShipmentLink shipment={shipment} /> },
  {
    header: 'Status',
    style: NOWRAP,
    cell: (shipment) => (
      <>
        <ShipmentStatusBadge status={shipment.status} />
        <Offered shipment={shipment} />
      </>
    ),
  },
  { header: 'Origin', cell: (shipment) => shipment.origin },
  { header: 'Destination', cell: destinationOf },
  { header: 'Holder', cell: (shipment) => shipment.custodian_msp_id },
  { header: 'Created', style: NOWRAP, cell: (shipment) => formatDay(shipment.created_at) },
];

function ShipmentCard({ shipment }: { readonly shipment: ShipmentSummary }) {
  return (
    <>
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
    </>
  );
}

/** Shipments as a table on wide screens and as cards on a phone. */
export function ShipmentList({ shipments }: { readonly shipments: readonly ShipmentSummary[] }) {
  return (
    <ResponsiveList
      label="Shipments"
      items={shipments}
      keyOf={(shipment) => shipment.id}
      columns={COLUMNS}
      card={(shipment) => <ShipmentCard shipment={shipment} />}
    />
  );
}
