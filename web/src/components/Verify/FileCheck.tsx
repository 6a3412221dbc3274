import { Alert, Anchor, Badge, Button, Code, FileButton, List, Paper, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconFileSearch, IconQuestionMark } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext';
import { ErrorState } from '../ErrorState';
import { MAX_HASH_BYTES, sha256Hex } from './hashFile';
import { verifyPathOf } from './qr';
import { RateLimitedError, verifyFileHash, type FileVerification } from './verifyApi';

const KIND_WORDS = { certificate: 'Certificate', shipment: 'Shipment', checkpoint: 'Checkpoint' } as const;

/** Drop a file to learn which records anchor it; it is hashed here and never uploaded. */
export function FileCheck() {
  const api = useApi();
  const [name, setName] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const check = useMutation({
    mutationFn: async (file: File) => verifyFileHash(api, await sha256Hex(file)),
  });

  const take = (file: File | null | undefined) => {
    if (file === null || file === undefined) return;
    setName(file.name);
    check.mutate(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files[0]);
  };

  return (
    <Stack gap="sm">
      <Paper
        withBorder
        radius="md"
        p="lg"
        data-testid="file-drop"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => {
          setOver(false);
        }}
        onDrop={onDrop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          background: over ? 'var(--mantine-color-blue-light)' : undefined,
        }}
      >
        <Stack align="center" gap="xs">
          <IconFileSearch size={36} stroke={1.4} aria-hidden />
          <Text ta="center">Drop a file here to check it</Text>
          <FileButton onChange={take}>
            {(props) => (
              <Button {...props} variant="default">
                Choose a file
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed" ta="center">
            Its SHA-256 is computed in your browser (files up to {MAX_HASH_BYTES / 1024 / 1024} MiB); the file
            itself is never uploaded.
          </Text>
        </Stack>
      </Paper>
      {check.isPending && (
        <Text role="status" size="sm">
          Hashing {name} and looking it up…
        </Text>
      )}
      {check.isError &&
        (check.error instanceof RateLimitedError ? (
          <Alert role="alert" color="orange" title="Too many checks">
            {check.error.message}
          </Alert>
        ) : (
          <ErrorState error={check.error} heading="The file could not be checked" />
        ))}
      {check.data !== undefined && <FileAnswer name={name ?? 'The file'} result={check.data} />}
    </Stack>
  );
}

function FileAnswer({ name, result }: { readonly name: string; readonly result: FileVerification }) {
  const hash = (
    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
      SHA-256 <Code>{result.sha256}</Code>
    </Text>
  );
  if (!result.anchored) {
    return (
      <Alert role="status" color="gray" icon={<IconQuestionMark aria-hidden />} title="Not anchored">
        <Stack gap={4}>
          <Text size="sm">
            No record on the ledger anchors {name}: it may have been altered, or never recorded.
          </Text>
          {hash}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert
      role="status"
      color="green"
      icon={<IconCircleCheck aria-hidden />}
      title={`${name} is anchored by ${String(result.anchors.length)} record${result.anchors.length === 1 ? '' : 's'}`}
    >
      <Stack gap={4}>
        {hash}
        <List size="sm" aria-label="Records that anchor the file">
          {result.anchors.map((anchor) => (
            <List.Item key={`${anchor.kind}-${anchor.id}-${String(anchor.seq)}`}>
              <Badge size="sm" variant="light" mr={6}>
                {KIND_WORDS[anchor.kind]}
              </Badge>
              <Anchor component={Link} to={verifyPathOf(anchor.verify_url) ?? '/verify'}>
                {anchor.id}
                {anchor.seq !== null && anchor.seq !== undefined && `, checkpoint ${String(anchor.seq)}`}
              </Anchor>{' '}
              <Text span size="xs" c="dimmed">
                (block {anchor.block_number})
              </Text>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Alert>
  );
}
