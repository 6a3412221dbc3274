import { Badge } from '@mantine/core';

const COLORS: Readonly<Record<string, string>> = {
  CREATED: 'gray.7',
  TRANSFER_PROPOSED: 'yellow.4',
  IN_TRANSIT: 'blue.9',
  DELIVERED: 'teal.9',
};

const LABELS: Readonly<Record<string, string>> = {
  CREATED: 'Created',
  TRANSFER_PROPOSED: 'Transfer proposed',
  IN_TRANSIT: 'In transit',
  DELIVERED: 'Delivered',
};

export function shipmentStatusLabel(status: string): string {
  return LABELS[status] ?? status;
}

/** Filled, with text that contrasts with its colour (light variants fall below WCAG AA). */
export function ShipmentStatusBadge({ status }: { readonly status: string }) {
  return (
    <Badge
      color={COLORS[status] ?? 'gray'}
      variant="filled"
      autoContrast
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {shipmentStatusLabel(status)}
    </Badge>
  );
}
