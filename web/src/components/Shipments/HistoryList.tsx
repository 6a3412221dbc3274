import { Anchor, List, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ShipmentDetail } from './api';
import { shipmentStatusLabel } from './ShipmentStatusBadge';
import { formatMoment } from '../Certificates/format';
import { LINK, MUTED } from '../Transaction/colors';

/** Every ledger version of the shipment, oldest first, with the block that holds it. */
export function HistoryList({ history }: { readonly history: ShipmentDetail['history'] }) {
  return (
    <List spacing="xs" size="sm" aria-label="Ledger history">
      {history.map((entry) => (
        <List.Item key={entry.tx_id}>
          <Text span size="sm" fw={600}>
            {shipmentStatusLabel(entry.status)}
          </Text>{' '}
          <Text span size="sm" c={MUTED}>
            {formatMoment(entry.timestamp)} · block {entry.proof.block_number} ·{' '}
          </Text>
          <Anchor
            c={LINK}
            component={Link}
            to={`/network?tx=${encodeURIComponent(entry.tx_id)}`}
            size="xs"
            ff="monospace"
          >
            {entry.tx_id.slice(0, 16)}…
          </Anchor>
        </List.Item>
      ))}
    </List>
  );
}
