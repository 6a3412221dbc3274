import { Badge, Stack, Text, Timeline } from '@mantine/core';
import { IconMapPin, IconTruckDelivery } from '@tabler/icons-react';
import { DocumentsTable } from './DocumentsTable';
import { Facts } from './Facts';
import { formatDateTime } from './format';
import { ProofView } from './ProofView';
import { Section } from './Section';
import type { ShipmentVerification } from './verifyApi';

/** A shipment as the ledger recorded it: who held it when, and each checkpoint. */
export function ShipmentResult({ result }: { readonly result: ShipmentVerification }) {
  return (
    <Stack gap="md">
      <Section title="Shipment">
        <Facts
          facts={[
            { label: 'Status', value: <Badge variant="light">{result.status}</Badge> },
            { label: 'From', value: result.origin },
            {
              label: 'To',
              value: `${result.destination_msp_id}${result.destination_location === null ? '' : `, ${result.destination_location}`}`,
            },
            { label: 'Owner', value: result.owner_msp_id },
            { label: 'Custodian now', value: result.custodian_msp_id },
            { label: 'Created', value: formatDateTime(result.created_at) },
          ]}
        />
        {result.items.length > 0 && (
          <Text size="sm">
            Items:{' '}
            {result.items
              .map((item) => `${item.description}${item.lot === null ? '' : ` (lot ${item.lot})`}`)
              .join('; ')}
          </Text>
        )}
      </Section>
      <Section title="Custody chain">
        <Timeline active={result.custody.length - 1} bulletSize={22} lineWidth={2} aria-label="Custody chain">
          {result.custody.map((step) => (
            <Timeline.Item
              key={step.tx_id}
              bullet={<IconTruckDelivery size={12} aria-hidden />}
              title={step.msp_id}
            >
              <Text size="xs" c="dimmed">
                since {formatDateTime(step.since)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Section>
      <Section title="Checkpoints">
        {result.checkpoints.length === 0 ? (
          <Text c="dimmed">No checkpoints are recorded yet.</Text>
        ) : (
          <Timeline
            active={result.checkpoints.length - 1}
            bulletSize={22}
            lineWidth={2}
            aria-label="Checkpoints"
          >
            {result.checkpoints.map((checkpoint) => (
              <Timeline.Item
                key={checkpoint.seq}
                bullet={<IconMapPin size={12} aria-hidden />}
                title={`${String(checkpoint.seq)}. ${checkpoint.biz_step}`}
              >
                <Text size="sm">
                  {formatDateTime(checkpoint.event_time)}
                  {checkpoint.biz_location !== null && ` · ${checkpoint.biz_location}`}
                </Text>
                <Text size="xs" c="dimmed">
                  recorded by {checkpoint.recorded_by_msp_id}
                  {checkpoint.disposition !== null && ` · ${checkpoint.disposition}`}
                  {checkpoint.documents.length > 0 && ` · ${String(checkpoint.documents.length)} document(s)`}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Section>
      <Section title="Documents">
        <DocumentsTable documents={result.documents} />
      </Section>
      <ProofView proof={result.proof} />
    </Stack>
  );
}
