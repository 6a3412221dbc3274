import { Text, Timeline } from '@mantine/core';
import { IconTruckDelivery } from '@tabler/icons-react';
import type { ShipmentDetail } from './api';
import { formatMoment } from '../Certificates/format';
import { MUTED } from '../Transaction/colors';

/** Each custodian in turn, from the hand-over that gave it the shipment to the next one. */
export function CustodyTimeline({ custody }: { readonly custody: ShipmentDetail['custody'] }) {
  return (
    <Timeline active={custody.length - 1} bulletSize={22} lineWidth={2} aria-label="Custody chain">
      {custody.map((step, index) => {
        const next = custody[index + 1];
        return (
          <Timeline.Item
            key={step.tx_id}
            bullet={<IconTruckDelivery size={12} aria-hidden />}
            title={step.msp_id}
          >
            <Text size="sm">
              {formatMoment(step.since)} → {next === undefined ? 'now' : formatMoment(next.since)}
            </Text>
            {next === undefined && (
              <Text size="xs" c={MUTED}>
                current custodian
              </Text>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
