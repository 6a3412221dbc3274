import { Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { MUTED } from '../Transaction/colors';
import type { CertificateDetail } from './api';
import { statusLabel } from './CertificateStatusBadge';
import { formatDay, formatMoment } from './format';

interface Moment {
  readonly key: string;
  readonly title: string;
  readonly when: string;
  readonly detail: string;
}

/** Each later change in words (a contract function's name does not wrap on a phone). */
const CHANGES: Readonly<Record<string, string>> = {
  'Certificates:SuspendCertificate': 'Suspended',
  'Certificates:ReinstateCertificate': 'Reinstated',
  'Certificates:RevokeCertificate': 'Revoked',
  'Certificates:AttachCertificateDocument': 'Document attached',
};

/**
 * Issued, valid from, every change the ledger recorded, valid until: in time order, so
 * a suspension shows where it fell within the validity.
 */
function moments(certificate: CertificateDetail): Moment[] {
  const changes = certificate.history.map((entry, index) => ({
    key: entry.tx_id,
    title: index === 0 ? 'Issued' : (CHANGES[entry.proof.function ?? ''] ?? statusLabel(entry.status)),
    when: entry.timestamp,
    detail: `Block ${String(entry.proof.block_number)} · signed by ${
      entry.proof.creator_enrollment_id ?? entry.proof.creator_msp_id
    } (${entry.proof.creator_msp_id})`,
  }));
  const bounds = [
    {
      key: 'from',
      title: 'Valid from',
      when: certificate.valid_from,
      detail: formatDay(certificate.valid_from),
    },
    {
      key: 'until',
      title: 'Valid until',
      when: certificate.valid_until,
      detail: formatDay(certificate.valid_until),
    },
  ];
  return [...changes, ...bounds].sort((a, b) => a.when.localeCompare(b.when));
}

export function CertificateTimeline({ certificate }: { readonly certificate: CertificateDetail }) {
  const items = moments(certificate);
  const now = new Date().toISOString();
  const reached = items.filter((item) => item.when <= now).length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="history-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="history-title">
          History
        </Title>
        <Timeline active={reached - 1} bulletSize={16} lineWidth={2} aria-label="History">
          {items.map((item) => (
            <Timeline.Item key={item.key} title={item.title}>
              <Text size="xs" c={MUTED}>
                {formatMoment(item.when)}
              </Text>
              <Text size="sm">{item.detail}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Paper>
  );
}
