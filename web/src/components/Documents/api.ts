/** One document's record, as the signed-in person's organization knows it. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import { retryTransient } from '../../api/queries';
import type { components } from '../../api/schema';

export type DocumentRecord = components['schemas']['DocumentPublic'];

const ONE = '/api/v1/documents/{cid}';

export async function fetchDocument(client: ApiClient, cid: string): Promise<DocumentRecord> {
  const { data, error, response } = await send(ONE, () => client.GET(ONE, { params: { path: { cid } } }));
  if (!response.ok || data === undefined) throw ApiError.fromResponse(ONE, response, error);
  return data;
}

export function useDocument(cid: string): UseQueryResult<DocumentRecord> {
  const api = useApi();
  return useQuery({
    queryKey: ['documents', cid],
    queryFn: () => fetchDocument(api, cid),
    retry: retryTransient,
    staleTime: Infinity, // a CID's record never changes but for its name
  });
}
