import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CertificateSummary } from './api';
import { CertificateStatusBadge } from './CertificateStatusBadge';
import { formatDay } from './format';
import { ResponsiveList, type Column } from '../ResponsiveList';
import { LINK, MUTED } from '../Transaction/colors';

export function certificatePath(id: string): string {
  return `/certificates/${encodeURIComponent(id)}`;
}

function CertificateLink({ certificate }: { readonly certificate: CertificateSummary }) {
  return (
    <Anchor c={LINK} component={Link} to={certificatePath(certificate.id)} fw={600}>
      {certificate.id}
    </Anchor>
  );
}

const COLUMNS: readonly Column<CertificateSummary>[] = [
  { header: 'Certificate', cell: (certificate) => <CertificateLink certificate={certificate} /> },
  { header: 'Status', cell: (certificate) => <CertificateStatusBadge status={certificate.status} /> },
  { header: 'Scheme', cell: (certificate) => certificate.scheme },
  {
    header: 'Subject',
    cell: (certificate) => (
      <>
        <Text size="sm">{certificate.subject.name}</Text>
        <Text size="xs" c={MUTED}>
          {certificate.subject.kind} · {certificate.subject.id}
        </Text>
      </>
    ),
  },
  { header: 'Issuer', cell: (certificate) => certificate.issuer_msp_id },
  { header: 'Valid until', cell: (certificate) => formatDay(certificate.valid_until) },
];

function CertificateCard({ certificate }: { readonly certificate: CertificateSummary }) {
  return (
    <>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <CertificateLink certificate={certificate} />
        <CertificateStatusBadge status={certificate.status} />
      </Group>
      <Text size="sm">{certificate.subject.name}</Text>
      <Text size="xs" c={MUTED}>
        {certificate.scheme} · {certificate.issuer_msp_id} · until {formatDay(certificate.valid_until)}
      </Text>
    </>
  );
}

/** Certificates as a table on wide screens and as cards on a phone. */
export function CertificateList({ certificates }: { readonly certificates: readonly CertificateSummary[] }) {
  return (
    <ResponsiveList
      label="Certificates"
      items={certificates}
      keyOf={(certificate) => certificate.id}
      columns={COLUMNS}
      card={(certificate) => <CertificateCard certificate={certificate} />}
    />
  );
}
