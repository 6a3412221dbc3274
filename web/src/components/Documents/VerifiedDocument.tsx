/**
 * The document as the browser verified it. Loaded on demand (React.lazy): the DAG
 * libraries and pdf.js stay out of the app's first download.
 */
import { Card, Stack } from '@mantine/core';
import type { DocumentRecord } from './api';
import { DocumentContent } from './DocumentContent';
import { useVerifiedBytes } from './useVerifiedBytes';
import { VerificationBadge } from './VerificationBadge';

export default function VerifiedDocument({ record }: { readonly record: DocumentRecord }) {
  const state = useVerifiedBytes(record);
  return (
    <Stack gap="md">
      <VerificationBadge state={state} size={record.size} />
      {state.phase === 'verified' && (
        <Card withBorder padding="md" component="section" aria-label="Content">
          <DocumentContent
            bytes={state.bytes}
            url={state.url}
            mediaType={record.media_type}
            name={record.name ?? record.cid}
          />
        </Card>
      )}
    </Stack>
  );
}
