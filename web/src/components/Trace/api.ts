/** The trace endpoints: the graph around an identifier, and the proof behind one of its edges. */
import { send, type ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type TraceView = Schemas['TraceView'];
export type TraceNode = Schemas['TraceNodeView'];
export type TraceEdge = Schemas['TraceEdgeView'];
export type NodeKind = TraceNode['kind'];
export type EventProof = Schemas['EventProof'];

export const traceKeys = {
  all: ['trace'] as const,
  graph: (id: string) => ['trace', 'graph', id] as const,
  proof: (eventId: string) => ['trace', 'proof', eventId] as const,
};

const TRACE = '/api/v1/trace';
const PROOF = '/api/v1/trace/proof/{event_id}';

/** Everything upstream and downstream of `id`; a 404 means there is nothing to trace from it. */
export async function fetchTrace(client: ApiClient, id: string): Promise<TraceView> {
  const { data, error, response } = await send(TRACE, () =>
    client.GET(TRACE, { params: { query: { id, direction: 'both' } } }),
  );
  if (!response.ok || data === undefined) throw ApiError.fromResponse(TRACE, response, error);
  return data;
}

export async function fetchEdgeProof(client: ApiClient, eventId: string): Promise<EventProof> {
  const { data, error, response } = await send(PROOF, () =>
    client.GET(PROOF, { params: { path: { event_id: eventId } } }),
  );
  if (!response.ok || data === undefined) throw ApiError.fromResponse(PROOF, response, error);
  return data;
}

/** The trace page of an identifier. */
export function tracePath(id: string): string {
  return `/trace?id=${encodeURIComponent(id)}`;
}
