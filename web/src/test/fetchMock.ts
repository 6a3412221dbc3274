/**
 * A fake network for unit tests: routes "METHOD /path" to handlers, records every
 * request, and answers anything unrouted with a 404 problem so a test fails loudly.
 * Everything above fetch (openapi-fetch, oidc-client-ts, parsing) runs for real.
 */
import { vi } from 'vitest';

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string | null;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export interface FetchMock {
  readonly requests: RecordedRequest[];
  /** Adds or replaces the handler of "METHOD /path" (path only, or a full URL). */
  on(route: string, handler: Handler): void;
  /** The recorded requests to `route`. */
  calls(route: string): RecordedRequest[];
}

async function record(input: RequestInfo | URL, init?: RequestInit): Promise<RecordedRequest> {
  if (input instanceof Request) {
    const body = input.method === 'GET' || input.method === 'HEAD' ? null : await input.clone().text();
    return { method: input.method, url: new URL(input.url), headers: new Headers(input.headers), body };
  }
  // Not `new Request(input, init)`: jsdom's AbortSignal is not the one Node's Request accepts.
  const body =
    typeof init?.body === 'string'
      ? init.body
      : init?.body instanceof URLSearchParams
        ? init.body.toString()
        : null;
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    url: new URL(input instanceof URL ? input.href : input, window.location.href),
    headers: new Headers(init?.headers),
    body,
  };
}

function key(method: string, url: URL): string {
  return `${method} ${url.origin === window.location.origin ? url.pathname : `${url.origin}${url.pathname}`}`;
}

export function mockFetch(routes: Readonly<Record<string, Handler>> = {}): FetchMock {
  const table = new Map<string, Handler>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const fake = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = await record(input, init);
    requests.push(request);
    const handler = table.get(key(request.method, request.url));
    if (handler === undefined) {
      return problem(404, `no test route for ${key(request.method, request.url)}`, 'Not Found');
    }
    return handler(request);
  });
  vi.stubGlobal('fetch', fake);
  return {
    requests,
    on(route, handler) {
      table.set(route, handler);
    },
    calls(route) {
      return requests.filter((request) => key(request.method, request.url) === route);
    },
  };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problem(status: number, detail: string, title = 'Error'): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, instance: '/api' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/** What `fetch` does when nothing answers. */
export function unreachable(): never {
  throw new TypeError('Failed to fetch');
}
