import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ERROR } from '../Transaction/colors';
import { useWriter, type SubmittedWrite } from '../Transaction/submitWrite';
import { TransactionStatus } from '../Transaction/TransactionStatus';
import { WriteError } from '../Transaction/WriteError';
import { changeCertificateStatus, type StatusAction } from './api';

const ACTIONS: Readonly<Record<string, readonly StatusAction[]>> = {
  ACTIVE: ['suspend', 'revoke'],
  SUSPENDED: ['reinstate', 'revoke'],
  REVOKED: [],
};

const WORDS: Readonly<
  Record<StatusAction, { label: string; doing: string; warning: string; color: string }>
> = {
  suspend: {
    label: 'Suspend',
    doing: 'Suspending',
    warning: 'It stops being valid until reinstated.',
    color: 'yellow.4',
  },
  reinstate: {
    label: 'Reinstate',
    doing: 'Reinstating',
    warning: 'It becomes valid again.',
    color: 'teal.9',
  },
  revoke: {
    label: 'Revoke',
    doing: 'Revoking',
    warning: 'This is final: a revoked certificate stays revoked.',
    color: 'red.9',
  },
};

/** Suspend, reinstate or revoke, each confirmed with a reason the ledger records. */
export function StatusActions({ id, status }: { readonly id: string; readonly status: string }) {
  const writer = useWriter();
  const [action, setAction] = useState<StatusAction | null>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ action: StatusAction; write: SubmittedWrite } | null>(null);

  const open = (next: StatusAction) => {
    setAction(next);
    setReason('');
    setMissing(false);
    setError(null);
  };
  const confirm = async () => {
    if (action === null) return;
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      const write = await changeCertificateStatus(writer, id, action, reason.trim());
      setSent({ action, write });
      setAction(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const available = ACTIONS[status] ?? [];
  return (
    <Stack gap="sm">
      {available.length > 0 && (
        <Group gap="sm">
          {available.map((name) => (
            <Button
              key={name}
              color={WORDS[name].color}
              autoContrast
              onClick={() => {
                open(name);
              }}
            >
              {WORDS[name].label}
            </Button>
          ))}
        </Group>
      )}
      {sent !== null && (
        <TransactionStatus
          key={sent.write.transaction.tx_id}
          txId={sent.write.transaction.tx_id}
          initial={sent.write.transaction}
          label={`${WORDS[sent.action].doing} ${id}`}
          signedInBrowser={sent.write.signedInBrowser}
        />
      )}
      <Modal
        opened={action !== null}
        onClose={() => {
          setAction(null);
        }}
        title={action === null ? '' : `${WORDS[action].label} ${id}?`}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {action !== null && (
          <Stack gap="sm">
            <Text size="sm">{WORDS[action].warning}</Text>
            <Textarea
              label="Reason"
              description="Recorded on the ledger with the change"
              required
              rows={3}
              value={reason}
              error={missing ? 'Give the reason for this change.' : undefined}
              styles={{ error: { color: ERROR } }}
              onChange={(event) => {
                setReason(event.currentTarget.value);
              }}
              data-autofocus
            />
            {error !== null && <WriteError error={error} heading="The change was not made" />}
            <Group justify="flex-end" gap="sm">
              <Button
                variant="default"
                onClick={() => {
                  setAction(null);
                }}
              >
                Cancel
              </Button>
              <Button color={WORDS[action].color} autoContrast loading={busy} onClick={() => void confirm()}>
                {WORDS[action].label}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
