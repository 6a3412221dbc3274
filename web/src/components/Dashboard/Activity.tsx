import { Anchor, Badge, Group, List, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { FeedEvent } from '../../live/feed';
import { useFeedEvents, useLive } from '../../live/LiveContext';
import { formatMoment } from '../Certificates/format';
import { certificatePath } from '../Certificates/CertificateList';
import { shipmentPath } from '../Shipments/ShipmentList';
import { LINK, MUTED } from '../Transaction/colors';
import { addActivity, describeActivity, recordOf } from './activity';

const STATE_WORDS = {
  open: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

function Line({ event }: { readonly event: FeedEvent }) {
  const record = recordOf(event);
  return (
    <List.Item>
      <Text span size="sm" fw={600}>
        {describeActivity(event)}
      </Text>{' '}
      {record !== null && (
        <Anchor
          c={LINK}
          component={Link}
          size="sm"
          to={record.kind === 'certificate' ? certificatePath(record.id) : shipmentPath(record.id)}
        >
          {record.id}
        </Anchor>
      )}
      <Text span size="xs" c={MUTED}>
        {' '}
        · {event.created_at === '' ? 'just now' : formatMoment(event.created_at)}
        {event.block_number !== null && ` · block ${String(event.block_number)}`}
      </Text>
    </List.Item>
  );
}

/** What happens on the ledger that the organization may see, newest first, as it happens. */
export function Activity() {
  const { state } = useLive();
  const [lines, setLines] = useState<readonly FeedEvent[]>([]);
  useFeedEvents((event) => {
    setLines((previous) => addActivity(previous, event));
  });
  return (
    <>
      <Group gap="xs">
        <Badge color={state === 'open' ? 'teal.9' : 'gray.7'} variant="filled" autoContrast>
          {STATE_WORDS[state]}
        </Badge>
      </Group>
      {lines.length === 0 ? (
        <Text size="sm" c={MUTED}>
          Nothing yet since you opened this page; changes appear here as they are committed.
        </Text>
      ) : (
        <List spacing="xs" aria-label="Recent activity" aria-live="polite">
          {lines.map((event) => (
            <Line key={event.id} event={event} />
          ))}
        </List>
      )}
    </>
  );
}
