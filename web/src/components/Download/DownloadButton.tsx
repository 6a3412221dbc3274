import { Button, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { describeError } from '../../api/errors';
import { ERROR } from '../Transaction/colors';
import { saveFile } from './saveFile';

export interface DownloadButtonProps {
  readonly label: string;
  /** The name the file is saved under. */
  readonly fileName: string;
  /** Fetches the file (with the person's token). */
  readonly load: () => Promise<Blob>;
}

/** A button that fetches a file and saves it, saying why when it could not. */
export function DownloadButton({ label, fileName, load }: DownloadButtonProps) {
  const download = useMutation({
    mutationFn: load,
    onSuccess: (blob) => {
      saveFile(blob, fileName);
    },
  });
  return (
    <Stack gap={2}>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconDownload size={16} aria-hidden />}
        loading={download.isPending}
        onClick={() => {
          download.mutate();
        }}
      >
        {label}
      </Button>
      {download.isError && (
        <Text size="xs" c={ERROR} role="alert">
          {describeError(download.error).message}
        </Text>
      )}
    </Stack>
  );
}
