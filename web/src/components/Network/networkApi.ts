/** The network view: channel, height, organizations, chaincode, recent blocks, backends. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { paths } from '../../api/schema';

type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type NetworkView = JsonBody<paths['/api/v1/network']['get']['responses'][200]>;
export type Backends = NetworkView['backends'];
export type BlockView = NetworkView['blocks'][number];

const PATH = '/api/v1/network';

export async function fetchNetwork(client: ApiClient, blocks: number): Promise<NetworkView> {
  const { data, error, response } = await send(PATH, () =>
    client.GET(PATH, { params: { query: { blocks } } }),
  );
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PATH, response, error);
  return data;
}
