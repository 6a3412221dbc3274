import { Badge } from '@mantine/core';

const COLORS: Readonly<Record<string, string>> = {
  ACTIVE: 'teal.9',
  SUSPENDED: 'yellow.4',
  REVOKED: 'red.9',
};

const LABELS: Readonly<Record<string, string>> = {
  ACTIVE: 'Active',
  SUSPENDED: 'Suspended',
  REVOKED: 'Revoked',
};

export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

/** Filled, with text that contrasts with its colour (light variants fall below WCAG AA). */
export function CertificateStatusBadge({ status }: { readonly status: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="filled" autoContrast style={{ flexShrink: 0 }}>
      {statusLabel(status)}
    </Badge>
  );
}
