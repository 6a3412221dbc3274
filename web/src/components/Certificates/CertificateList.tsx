import { Anchor, Card, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CertificateSummary } from './api';
import { CertificateStatusBadge } from './CertificateStatusBadge';
import { formatDay } from './format';
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

/**
 * Certificates as a table on wide screens and as cards on a phone, where a table of
 * seven columns cannot be read.
 */
export function CertificateList({ certificates }: { readonly certificates: readonly CertificateSummary[] }) {
  return (
    <>
      <Table.ScrollContainer minWidth={720} visibleFrom="sm">
        <Table striped highlightOnHover aria-label="Certificates">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Certificate</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Scheme</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Issuer</Table.Th>
              <Table.Th>Valid until</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {certificates.map((certificate) => (
              <Table.Tr key={certificate.id}>
                <Table.Td>
                  <CertificateLink certificate={certificate} />
                </Table.Td>
                <Table.Td>
                  <CertificateStatusBadge status={certificate.status} />
                </Table.Td>
                <Table.Td>{certificate.scheme}</Table.Td>
                <Table.Td>
                  <Text size="sm">{certificate.subject.name}</Text>
                  <Text size="xs" c={MUTED}>
                    {certificate.subject.kind} · {certificate.subject.id}
                  </Text>
                </Table.Td>
                <Table.Td>{certificate.issuer_msp_id}</Table.Td>
                <Table.Td>{formatDay(certificate.valid_until)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack
        gap="sm"
        hiddenFrom="sm"
        component="ul"
        aria-label="Certificates"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {certificates.map((certificate) => (
          <Card key={certificate.id} component="li" withBorder padding="sm" aria-label={certificate.id}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <CertificateLink certificate={certificate} />
              <CertificateStatusBadge status={certificate.status} />
            </Group>
            <Text size="sm">{certificate.subject.name}</Text>
            <Text size="xs" c={MUTED}>
              {certificate.scheme} · {certificate.issuer_msp_id} · until {formatDay(certificate.valid_until)}
            </Text>
          </Card>
        ))}
      </Stack>
    </>
  );
}
