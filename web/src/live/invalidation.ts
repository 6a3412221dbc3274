/**
 * What a feed event makes stale in the query cache. Queries that the feed keeps fresh
 * are keyed under these roots, so one event refreshes every list and detail it touches.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { FeedEvent } from './feed';

export const liveKeys = {
  certificates: ['certificates'] as const,
  shipments: ['shipments'] as const,
  recalls: ['recalls'] as const,
  transactions: ['transactions'] as const,
  transaction: (txId: string) => ['transaction', txId] as const,
};

/** The status a `transaction.*` event reports, in the shape of the transaction status answer. */
export interface TransactionUpdate {
  readonly status: string;
  readonly block_number: number | null;
  readonly validation_code: string | null;
}

function transactionUpdate(event: FeedEvent): TransactionUpdate {
  const { payload } = event;
  const code = payload['validation_code'];
  return {
    status: event.kind.slice('transaction.'.length),
    block_number: event.block_number,
    validation_code: typeof code === 'string' ? code : null,
  };
}

export function applyFeedEvent(queryClient: QueryClient, event: FeedEvent): void {
  const [root] = event.kind.split('.');
  if (root === 'transaction' && event.tx_id !== null) {
    const update = transactionUpdate(event);
    queryClient.setQueryData<TransactionUpdate>(liveKeys.transaction(event.tx_id), (previous) =>
      previous === undefined ? undefined : { ...previous, ...update },
    );
    void queryClient.invalidateQueries({ queryKey: liveKeys.transaction(event.tx_id) });
    void queryClient.invalidateQueries({ queryKey: liveKeys.transactions });
    return;
  }
  if (root === 'certificate') {
    void queryClient.invalidateQueries({ queryKey: liveKeys.certificates });
  } else if (root === 'shipment' || root === 'transfer' || root === 'checkpoint') {
    void queryClient.invalidateQueries({ queryKey: liveKeys.shipments });
  } else if (root === 'recall') {
    void queryClient.invalidateQueries({ queryKey: liveKeys.recalls });
  }
}
