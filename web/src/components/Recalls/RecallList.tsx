import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDay } from '../Certificates/format';
import { ResponsiveList, type Column } from '../ResponsiveList';
import { LINK, MUTED } from '../Transaction/colors';
import { recallPath, type RecallView } from './api';

function RecallLink({ recall }: { readonly recall: RecallView }) {
  return (
    <Anchor c={LINK} component={Link} to={recallPath(recall.id)} fw={600} style={{ whiteSpace: 'nowrap' }}>
      {recall.id}
    </Anchor>
  );
}

function reach(recall: RecallView): string {
  const lots = recall.lots.length === 1 ? '1 lot' : `${String(recall.lots.length)} lots`;
  const shipments =
    recall.shipments.length === 1 ? '1 shipment' : `${String(recall.shipments.length)} shipments`;
  return `${lots} · ${shipments}`;
}

const COLUMNS: readonly Column<RecallView>[] = [
  { header: 'Recall', cell: (recall) => <RecallLink recall={recall} /> },
  {
    header: 'Reason',
    cell: (recall) => (
      <Text size="sm" lineClamp={2}>
        {recall.reason}
      </Text>
    ),
  },
  { header: 'Reach', style: { whiteSpace: 'nowrap' }, cell: reach },
  { header: 'Organizations', cell: (recall) => recall.organizations.join(', ') },
  {
    header: 'Recorded',
    style: { whiteSpace: 'nowrap' },
    cell: (recall) => (
      <>
        <Text size="sm">{formatDay(recall.recorded_at)}</Text>
        <Text size="xs" c={MUTED}>
          by {recall.recorded_by_msp_id}
        </Text>
      </>
    ),
  },
];

function RecallCard({ recall }: { readonly recall: RecallView }) {
  return (
    <>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <RecallLink recall={recall} />
        <Text size="xs" c={MUTED}>
          {formatDay(recall.recorded_at)}
        </Text>
      </Group>
      <Text size="sm" lineClamp={2}>
        {recall.reason}
      </Text>
      <Text size="xs" c={MUTED}>
        {reach(recall)} · by {recall.recorded_by_msp_id}
      </Text>
    </>
  );
}

/** Recalls as a table on wide screens and as cards on a phone. */
export function RecallList({ recalls }: { readonly recalls: readonly RecallView[] }) {
  return (
    <ResponsiveList
      label="Recalls"
      items={recalls}
      keyOf={(recall) => recall.id}
      columns={COLUMNS}
      card={(recall) => <RecallCard recall={recall} />}
    />
  );
}
