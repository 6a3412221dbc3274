import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { LINK, MUTED } from '../Transaction/colors';
import type { CertificateDetail } from './api';
import { formatBytes } from './format';

/**
 * The documents anchored with the certificate, each opening in the document viewer; then
 * `children`, the issuer's way to attach another.
 */
export function CertificateDocuments({
  documents,
  children,
}: {
  readonly documents: CertificateDetail['documents'];
  readonly children?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="documents-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="documents-title">
          Documents
        </Title>
        {documents.length === 0 && <Text c={MUTED}>No documents are anchored.</Text>}
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Documents">
          {documents.map((document) => (
            <li key={document.cid} aria-label={document.name}>
              <Anchor c={LINK} component={Link} to={`/documents/${document.cid}`} fw={600}>
                {document.name}
              </Anchor>
              <Text size="xs" c={MUTED}>
                {document.media_type} · {formatBytes(document.size)}
              </Text>
              <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                CID {document.cid}
              </Text>
              <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                SHA-256 {document.sha256}
              </Text>
            </li>
          ))}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}
