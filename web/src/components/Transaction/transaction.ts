/** A write's transaction as the API tracks it, kept fresh by the feed and a fallback poll. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { retryTransient } from '../../api/queries';
import type { paths } from '../../api/schema';
import { liveKeys } from '../../live/invalidation';

const PATH = '/api/v1/transactions/{tx_id}';

export type Transaction = paths[typeof PATH]['get']['responses'][200]['content']['application/json'];

/** How often a pending transaction is asked about when the feed says nothing. */
export const STATUS_POLL_MS = 3_000;

export async function fetchTransaction(client: ApiClient, txId: string): Promise<Transaction> {
  const { data, error, response } = await send(PATH, () =>
    client.GET(PATH, { params: { path: { tx_id: txId } } }),
  );
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PATH, response, error);
  return data;
}

export function useTransaction(txId: string, initial?: Transaction): UseQueryResult<Transaction> {
  const api = useApi();
  return useQuery({
    queryKey: liveKeys.transaction(txId),
    queryFn: () => fetchTransaction(api, txId),
    initialData: initial,
    retry: retryTransient,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? STATUS_POLL_MS : false),
  });
}
