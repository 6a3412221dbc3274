import { Box, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { retryTransient } from '../../api/queries';
import { saveFile } from '../Download/saveFile';
import { ErrorState } from '../ErrorState';
import { PageLoader } from '../PageLoader';
import { MUTED } from '../Transaction/colors';
import { eventCount, type EpcisDocument } from './api';

export interface EpcisDocumentModalProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  readonly title: string;
  readonly queryKey: QueryKey;
  /** Fetches the document; called when the modal first opens. */
  readonly load: () => Promise<EpcisDocument>;
  /** The name the download is saved under, e.g. `SHP-1.epcis.jsonld`. */
  readonly fileName: string;
}

function countLabel(count: number): string {
  return count === 1 ? '1 event' : `${String(count)} events`;
}

/** An EPCIS JSON-LD document, fetched with the person's token, to read and to download. */
export function EpcisDocumentModal({
  opened,
  onClose,
  title,
  queryKey,
  load,
  fileName,
}: EpcisDocumentModalProps) {
  const document = useQuery({ queryKey, queryFn: load, enabled: opened, retry: retryTransient });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {document.isPending && <PageLoader label="Loading the EPCIS document…" />}
      {document.isError && (
        <ErrorState error={document.error} heading="Could not load the EPCIS document">
          <Button variant="default" size="xs" onClick={() => void document.refetch()}>
            Try again
          </Button>
        </ErrorState>
      )}
      {document.isSuccess && (
        <Stack gap="sm">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c={MUTED}>
              JSON-LD · {countLabel(eventCount(document.data.value))}
            </Text>
            <Button
              size="xs"
              leftSection={<IconDownload size={16} aria-hidden />}
              onClick={() => {
                saveFile(new Blob([document.data.text], { type: 'application/ld+json' }), fileName);
              }}
            >
              Download
            </Button>
          </Group>
          {/* Focusable, so that the keyboard scrolls it too. */}
          <Box role="region" aria-label="EPCIS JSON-LD" tabIndex={0} mah="60vh" style={{ overflow: 'auto' }}>
            <Code
              block
              style={{
                whiteSpace: 'pre',
                overflow: 'visible',
                display: 'inline-block',
                minWidth: '100%',
                fontSize: 12,
              }}
            >
              {document.data.text}
            </Code>
          </Box>
        </Stack>
      )}
    </Modal>
  );
}
