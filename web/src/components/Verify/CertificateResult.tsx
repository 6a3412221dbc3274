import { Alert, Badge, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertOctagon, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { DocumentsTable } from './DocumentsTable';
import { Facts } from './Facts';
import { formatDate, formatDateTime } from './format';
import { ProofView } from './ProofView';
import { Section } from './Section';
import type { CertificateVerification } from './verifyApi';

const STATUS_WORDS: Record<CertificateVerification['status'], string> = {
  ACTIVE: 'Valid',
  SUSPENDED: 'Suspended',
  REVOKED: 'Revoked',
  EXPIRED: 'Expired',
  NOT_YET_VALID: 'Not yet valid',
  NOT_ISSUED: 'Not issued yet',
};

/** The headline: valid in green, revoked in loud red, anything else in amber. */
function Verdict({ result }: { readonly result: CertificateVerification }) {
  const at = formatDateTime(result.at);
  if (result.valid) {
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} title="Valid" role="status">
        This certificate was active and within its validity period on {at}.
      </Alert>
    );
  }
  const revoked = result.status === 'REVOKED';
  const change = result.status_log.findLast((entry) => entry.status === result.status);
  return (
    <Alert
      role="alert"
      color={revoked ? 'red' : 'yellow'}
      variant={revoked ? 'filled' : 'light'}
      icon={revoked ? <IconAlertOctagon aria-hidden /> : <IconInfoCircle aria-hidden />}
      title={revoked ? 'This certificate is revoked' : STATUS_WORDS[result.status]}
    >
      {revoked ? 'Do not rely on it.' : 'It does not hold'} (as of {at})
      {change?.reason != null && change.reason !== '' ? `: ${change.reason}` : '.'}
    </Alert>
  );
}

export function CertificateResult({ result }: { readonly result: CertificateVerification }) {
  const { issuer } = result;
  const accreditation = issuer.accreditation_at;
  return (
    <Stack gap="md">
      <Verdict result={result} />
      <Section title="Certificate">
        <Facts
          facts={[
            {
              label: 'Status',
              value: (
                <Badge color={result.valid ? 'green' : result.status === 'REVOKED' ? 'red' : 'yellow'}>
                  {STATUS_WORDS[result.status]}
                </Badge>
              ),
            },
            { label: 'Scheme', value: result.scheme },
            { label: 'Subject', value: `${result.subject.name} (${result.subject.kind})` },
            { label: 'Scope', value: result.scope },
            { label: 'Valid', value: `${formatDate(result.valid_from)} – ${formatDate(result.valid_until)}` },
            { label: 'Issued', value: formatDateTime(result.issued_at) },
          ]}
        />
        {result.status_log.length > 0 && (
          <List size="sm" aria-label="Status changes">
            {result.status_log.map((entry) => (
              <List.Item key={entry.tx_id}>
                {formatDateTime(entry.at)}: {entry.status}
                {entry.reason != null && entry.reason !== '' && ` — ${entry.reason}`}
              </List.Item>
            ))}
          </List>
        )}
      </Section>
      <Section title="Issuer">
        <Facts
          facts={[
            { label: 'Organization', value: issuer.name ?? issuer.msp_id },
            { label: 'MSP id', value: issuer.msp_id, mono: true },
            {
              label: 'Accredited when it issued',
              value: <Accredited yes={issuer.accredited_at_issue} />,
            },
            { label: 'Accredited at the date checked', value: <Accredited yes={issuer.accredited_at} /> },
          ]}
        />
        {accreditation !== null && (
          <Text size="sm" c="dimmed">
            Accredited for {accreditation.schemes.join(', ')} since {formatDate(accreditation.since)}.
          </Text>
        )}
      </Section>
      <Section title="Documents">
        <DocumentsTable documents={result.documents} />
      </Section>
      <ProofView proof={result.proof} />
    </Stack>
  );
}

function Accredited({ yes }: { readonly yes: boolean }) {
  return (
    <Group gap={4}>
      <Badge color={yes ? 'green' : 'red'} variant="light">
        {yes ? 'Yes' : 'No'}
      </Badge>
    </Group>
  );
}
