import { Button, FileButton, Progress, Stack } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { useState } from 'react';
import { useAuth } from '../../auth/AuthContext';
import { useWriter, type SubmittedWrite } from '../Transaction/submitWrite';
import { TransactionStatus } from '../Transaction/TransactionStatus';
import { WriteError } from '../Transaction/WriteError';
import { attachDocument } from './api';
import { uploadDocument } from './upload';

type Phase =
  | { readonly step: 'idle' }
  | { readonly step: 'uploading'; readonly name: string; readonly progress: number }
  | { readonly step: 'sent'; readonly name: string; readonly write: SubmittedWrite }
  | { readonly step: 'failed'; readonly error: unknown };

/** The issuer adds a document to a certificate: upload it, then anchor its CID on the ledger. */
export function AttachDocument({ id }: { readonly id: string }) {
  const writer = useWriter();
  const { getAccessToken } = useAuth();
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });

  const attach = async (file: File | null) => {
    if (file === null) return;
    setPhase({ step: 'uploading', name: file.name, progress: 0 });
    try {
      const document = await uploadDocument(file, await getAccessToken(), (progress) => {
        setPhase({ step: 'uploading', name: file.name, progress });
      });
      const write = await attachDocument(writer, id, document.cid);
      setPhase({ step: 'sent', name: file.name, write });
    } catch (error) {
      setPhase({ step: 'failed', error });
    }
  };

  return (
    <Stack gap="xs">
      <FileButton onChange={(file) => void attach(file)}>
        {(props) => (
          <Button
            {...props}
            variant="default"
            leftSection={<IconPaperclip size={16} aria-hidden />}
            loading={phase.step === 'uploading'}
            style={{ alignSelf: 'flex-start' }}
          >
            Attach a document
          </Button>
        )}
      </FileButton>
      {phase.step === 'uploading' && (
        <Progress value={phase.progress * 100} aria-label={`Upload of ${phase.name}`} />
      )}
      {phase.step === 'sent' && (
        <TransactionStatus
          key={phase.write.transaction.tx_id}
          txId={phase.write.transaction.tx_id}
          initial={phase.write.transaction}
          label={`Attaching ${phase.name} to ${id}`}
          signedInBrowser={phase.write.signedInBrowser}
        />
      )}
      {phase.step === 'failed' && <WriteError error={phase.error} heading="The document was not attached" />}
    </Stack>
  );
}
