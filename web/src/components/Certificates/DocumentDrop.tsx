import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useId, useState, type DragEvent } from 'react';
import { MUTED } from '../Transaction/colors';
import { formatBytes } from './format';

export interface PendingFile {
  readonly file: File;
  /** 0..1 while uploading, null before. */
  readonly progress: number | null;
  readonly error: string | null;
}

export interface DocumentDropProps {
  readonly files: readonly PendingFile[];
  readonly onAdd: (files: File[]) => void;
  readonly disabled?: boolean;
}

/** Documents by drag and drop or by picking them, each with its upload progress. */
export function DocumentDrop({ files, onAdd, disabled = false }: DocumentDropProps) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) onAdd([...event.dataTransfer.files]);
  };
  return (
    <Stack gap="xs">
      <Paper
        withBorder
        p="lg"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => {
          setOver(false);
        }}
        onDrop={drop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: over ? 'var(--mantine-color-teal-7)' : undefined,
        }}
      >
        <Group justify="center" gap="sm">
          <IconFileUpload size={28} stroke={1.5} aria-hidden />
          <div>
            <Text component="label" htmlFor={inputId} fw={600} style={{ cursor: 'pointer' }}>
              Drop documents here, or choose files
            </Text>
            <Text size="xs" c={MUTED}>
              Audit reports, photos: each is stored and anchored on the ledger by its CID.
            </Text>
          </div>
        </Group>
        <input
          id={inputId}
          type="file"
          multiple
          disabled={disabled}
          data-testid="document-input"
          style={{ position: 'absolute', width: 1, height: 1, opacity: 0 }}
          onChange={(event) => {
            onAdd([...(event.currentTarget.files ?? [])]);
            event.currentTarget.value = '';
          }}
        />
      </Paper>
      {files.length > 0 && (
        <Stack
          gap={6}
          component="ul"
          aria-label="Documents to upload"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {files.map(({ file, progress, error }) => (
            <li key={`${file.name}-${String(file.size)}`} aria-label={file.name}>
              <Group justify="space-between" gap="xs">
                <Text size="sm">{file.name}</Text>
                <Text size="xs" c={MUTED}>
                  {formatBytes(file.size)}
                  {progress !== null && ` · ${String(Math.round(progress * 100))}%`}
                </Text>
              </Group>
              <Progress value={(progress ?? 0) * 100} size="sm" aria-label={`Upload of ${file.name}`} />
              {error !== null && (
                <Text size="xs" c="red.9" role="alert">
                  {error}
                </Text>
              )}
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
