import { Alert, Anchor, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { IconBrowser, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/errors';
import { useTransaction, type Transaction } from './transaction';
import { describeValidationCode } from './validationCodes';
import { LINK, MUTED } from './colors';

export interface TransactionStatusProps {
  readonly txId: string;
  /** The write's own answer (202), shown until the first refresh. */
  readonly initial?: Transaction;
  /** What the transaction does, e.g. "Issuing CERT-2026-0042". */
  readonly label?: string;
  /** Whether this browser signed the write (the person keeps their key here). */
  readonly signedInBrowser?: boolean;
}

function TxLink({ txId }: { readonly txId: string }) {
  return (
    <Anchor c={LINK} component={Link} to={`/network?tx=${encodeURIComponent(txId)}`} size="xs" ff="monospace">
      {txId.slice(0, 16)}…
    </Anchor>
  );
}

/** The alert's title: what the transaction does, its state, and who signed it where. */
function Heading({
  title,
  state,
  signedInBrowser,
}: {
  readonly title: string;
  readonly state: ReactNode;
  readonly signedInBrowser: boolean;
}) {
  return (
    <Group gap="xs">
      {title}
      {state}
      {signedInBrowser && (
        <Badge variant="outline" color="teal.9" c={LINK} leftSection={<IconBrowser size={12} aria-hidden />}>
          Signed in this browser
        </Badge>
      )}
    </Group>
  );
}

/**
 * A write on its way into the ledger: pending, then committed in a block or refused
 * with the reason in words. It updates live from the feed (the LiveProvider writes
 * into the same query), and polls the status URL while pending in case the feed is down.
 */
export function TransactionStatus({ txId, initial, label, signedInBrowser = false }: TransactionStatusProps) {
  const transaction = useTransaction(txId, initial);
  const tx = transaction.data;
  const title = label ?? 'Transaction';

  if (tx === undefined) {
    if (transaction.isError) {
      return (
        <Alert role="status" color="yellow" variant="light" title={title}>
          {describeError(transaction.error).message}
        </Alert>
      );
    }
    return (
      <Group role="status" gap="xs">
        <Loader size="xs" /> <Text size="sm">{title}: submitting…</Text>
      </Group>
    );
  }

  if (tx.status === 'committed') {
    return (
      <Alert
        role="status"
        color="teal"
        variant="light"
        icon={<IconCircleCheck aria-hidden />}
        title={
          <Heading
            title={title}
            state={<Badge color="teal.9">Committed</Badge>}
            signedInBrowser={signedInBrowser}
          />
        }
      >
        <Text size="sm">
          Recorded in block {tx.block_number ?? '?'} · <TxLink txId={tx.tx_id} />
        </Text>
      </Alert>
    );
  }

  if (tx.status === 'invalid') {
    return (
      <Alert
        role="status"
        color="red"
        variant="light"
        icon={<IconCircleX aria-hidden />}
        title={
          <Heading
            title={title}
            state={<Badge color="red.9">Invalid</Badge>}
            signedInBrowser={signedInBrowser}
          />
        }
      >
        <Stack gap={4}>
          <Text size="sm">{describeValidationCode(tx.validation_code)}</Text>
          <Text size="xs" c={MUTED}>
            {tx.validation_code ?? 'no code'} · <TxLink txId={tx.tx_id} />
          </Text>
        </Stack>
      </Alert>
    );
  }

  return (
    <Alert
      role="status"
      aria-label="Transaction status"
      color="blue"
      variant="light"
      icon={<Loader size="sm" aria-hidden />}
      title={
        <Heading
          title={title}
          state={<Badge color="blue.9">Pending</Badge>}
          signedInBrowser={signedInBrowser}
        />
      }
    >
      <Text size="sm">
        Waiting for the ledger to commit it · <TxLink txId={tx.tx_id} />
      </Text>
    </Alert>
  );
}
