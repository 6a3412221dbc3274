import { Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { retryTransient, useMe } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { certificateKeys, fetchCertificate, type CertificateDetail } from '../../components/Certificates/api';
import { AttachDocument } from '../../components/Certificates/AttachDocument';
import { CertificateDocuments } from '../../components/Certificates/CertificateDocuments';
import { CertificateStatusBadge } from '../../components/Certificates/CertificateStatusBadge';
import { CertificateTimeline } from '../../components/Certificates/CertificateTimeline';
import { formatDay } from '../../components/Certificates/format';
import { LedgerProofCard } from '../../components/Certificates/LedgerProofCard';
import { StatusActions } from '../../components/Certificates/StatusActions';
import { VerificationQr } from '../../components/Certificates/VerificationQr';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { MUTED } from '../../components/Transaction/colors';
import { usePageTitle } from '../../hooks/usePageTitle';

function Summary({ certificate }: { readonly certificate: CertificateDetail }) {
  const { subject } = certificate;
  return (
    <Paper withBorder p="md" component="section" aria-label="Summary">
      <Stack gap={4}>
        <Text size="sm">
          <b>{subject.name}</b> ({subject.kind} {subject.id}
          {subject.msp_id !== null && `, held by ${subject.msp_id}`})
        </Text>
        <Text size="sm">{certificate.scope}</Text>
        <Text size="sm" c={MUTED}>
          {certificate.scheme} · issued by {certificate.issuer_msp_id} · valid{' '}
          {formatDay(certificate.valid_from)} to {formatDay(certificate.valid_until)}
        </Text>
        {certificate.status_reason !== null && (
          <Text size="sm">
            <b>Reason:</b> {certificate.status_reason}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function CertificateView({ id }: { readonly id: string }) {
  const api = useApi();
  const me = useMe();
  // The feed invalidates every certificate query on a certificate event: a status change
  // made anywhere shows here without a reload.
  const certificate = useQuery({
    queryKey: certificateKeys.detail(id),
    queryFn: () => fetchCertificate(api, id),
    retry: retryTransient,
  });
  if (certificate.isPending) return <PageLoader label="Loading the certificate…" />;
  if (certificate.isError) return <ErrorState error={certificate.error} heading={`Could not load ${id}`} />;
  const data = certificate.data;
  const issuer =
    (me.data?.roles.includes('certifier') ?? false) && me.data?.organization?.msp_id === data.issuer_msp_id;

  return (
    <Stack gap="lg">
      <Group gap="sm" align="center">
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {data.id}
        </Title>
        <div aria-label="Status" role="status">
          <CertificateStatusBadge status={data.status} />
        </div>
      </Group>
      {issuer && <StatusActions id={data.id} status={data.status} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Summary certificate={data} />
            <CertificateDocuments documents={data.documents}>
              {issuer && data.status !== 'REVOKED' && <AttachDocument id={data.id} />}
            </CertificateDocuments>
            <CertificateTimeline certificate={data} />
            <LedgerProofCard proof={data.proof} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <VerificationQr id={data.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function CertificateDetailPage() {
  const { id = '' } = useParams();
  usePageTitle(id);
  const { status } = useAuth();
  const { pathname } = useLocation();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="this certificate" returnTo={pathname} />;
  return <CertificateView id={id} />;
}
