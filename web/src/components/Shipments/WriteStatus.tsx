import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { liveKeys } from '../../live/invalidation';
import type { SubmittedWrite } from '../Transaction/submitWrite';
import { TransactionStatus } from '../Transaction/TransactionStatus';
import { useTransaction } from '../Transaction/transaction';

export interface WriteStatusProps {
  readonly write: SubmittedWrite;
  readonly label: string;
}

/**
 * A shipment write's status, refreshing every shipment query once it commits. The feed
 * does the same when it is up; this covers a feed that is down (the status is polled).
 */
export function WriteStatus({ write, label }: WriteStatusProps) {
  const { transaction, signedInBrowser } = write;
  const queryClient = useQueryClient();
  const committed = useTransaction(transaction.tx_id, transaction).data?.status === 'committed';
  useEffect(() => {
    if (committed) void queryClient.invalidateQueries({ queryKey: liveKeys.shipments });
  }, [committed, queryClient]);
  return (
    <TransactionStatus
      txId={transaction.tx_id}
      initial={transaction}
      label={label}
      signedInBrowser={signedInBrowser}
    />
  );
}
