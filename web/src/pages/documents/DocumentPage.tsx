import { Card, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { useDocument, type DocumentRecord } from '../../components/Documents/api';
import { ErrorState } from '../../components/ErrorState';
import { PageLoader } from '../../components/PageLoader';
import { SignInPrompt } from '../../components/SignInPrompt';
import { Facts } from '../../components/Verify/Facts';
import { usePageTitle } from '../../hooks/usePageTitle';

const VerifiedDocument = lazy(() => import('../../components/Documents/VerifiedDocument'));

export function DocumentPage() {
  const { cid = '' } = useParams();
  usePageTitle('Document');
  const { status } = useAuth();
  if (status === 'loading') return <PageLoader label="Checking sign-in…" />;
  if (status === 'signed-out') return <SignInPrompt what="this document" returnTo={`/documents/${cid}`} />;
  return <Document cid={cid} />;
}

function Document({ cid }: { readonly cid: string }) {
  const record = useDocument(cid);
  if (record.isPending) return <PageLoader label="Loading the document's record…" />;
  if (record.isError) return <ErrorState error={record.error} heading="The document could not be loaded" />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {record.data.name ?? 'Unnamed document'}
        </Title>
        <Text c="dimmed">Checked here, block by block, against its content address.</Text>
      </div>
      <RecordCard record={record.data} />
      <Suspense fallback={<PageLoader label="Loading the verifier…" />}>
        <VerifiedDocument record={record.data} />
      </Suspense>
    </Stack>
  );
}

function RecordCard({ record }: { readonly record: DocumentRecord }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="record-heading">
      <Title order={2} size="h4" id="record-heading" mb="md">
        Record
      </Title>
      <Facts
        facts={[
          { label: 'CID', value: record.cid, mono: true },
          { label: 'SHA-256', value: record.sha256, mono: true },
          { label: 'Size', value: `${record.size.toLocaleString()} bytes` },
          { label: 'Media type', value: record.media_type },
        ]}
      />
    </Card>
  );
}
