import { Badge, Group, Text, Timeline } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import type { CheckpointView } from './api';
import { isOutside } from './temperature';
import { formatMoment } from '../Certificates/format';
import { MUTED } from '../Transaction/colors';

function Readings({ checkpoint }: { readonly checkpoint: CheckpointView }) {
  if (checkpoint.sensor_readings.length === 0) return null;
  return (
    <Group gap={4} mt={4}>
      {checkpoint.sensor_readings.map((reading, index) => {
        const celsius = reading['uom'] === 'CEL' ? Number(reading['value']) : null;
        const outside = celsius !== null && isOutside(celsius);
        return (
          <Badge
            key={index}
            variant={outside ? 'filled' : 'outline'}
            color={outside ? 'red.9' : 'gray.7'}
            autoContrast
            tt="none"
          >
            {String(reading['value'])} {reading['uom'] === 'CEL' ? '°C' : String(reading['uom'])}
            {outside && ' · outside'}
          </Badge>
        );
      })}
    </Group>
  );
}

/** The checkpoints in the order they were recorded: step, place, disposition, readings. */
export function CheckpointList({ checkpoints }: { readonly checkpoints: readonly CheckpointView[] }) {
  if (checkpoints.length === 0) return <Text c={MUTED}>No checkpoints are recorded yet.</Text>;
  return (
    <Timeline active={checkpoints.length - 1} bulletSize={22} lineWidth={2} aria-label="Checkpoints">
      {checkpoints.map((checkpoint) => (
        <Timeline.Item
          key={checkpoint.seq}
          bullet={<IconMapPin size={12} aria-hidden />}
          title={`${String(checkpoint.seq + 1)}. ${checkpoint.biz_step.replaceAll('_', ' ')}`}
        >
          <Text size="sm">
            {formatMoment(checkpoint.event_time)}
            {checkpoint.biz_location !== null && ` · ${checkpoint.biz_location}`}
          </Text>
          <Text size="xs" c={MUTED} style={{ overflowWrap: 'anywhere' }}>
            recorded by {checkpoint.recorded_by_msp_id}
            {checkpoint.disposition !== null && ` · ${checkpoint.disposition.replaceAll('_', ' ')}`}
            {checkpoint.read_point !== null && ` · at ${checkpoint.read_point}`}
          </Text>
          <Readings checkpoint={checkpoint} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
