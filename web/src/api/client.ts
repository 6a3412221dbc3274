/**
 * The typed API client: openapi-fetch over the generated `paths`, with the caller's
 * access token attached and a hook for the API refusing it (401).
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError } from './errors';
import { parseProblem, type Problem } from './problem';
import type { paths } from './schema';

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Origin of the API; the app's own origin by default (the API serves the app). */
  readonly baseUrl?: string;
  /** The current access token, or null when nobody is signed in. */
  readonly getAccessToken?: () => Promise<string | null>;
  /** Called when the API answers 401 to a request that carried a token, with its problem. */
  readonly onUnauthorized?: (problem: Problem | null) => void;
  /** The fetch to use; the global one, looked up at call time, by default. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export function createApiClient(options: Readonly<ApiClientOptions> = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? window.location.origin,
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
    headers: { Accept: 'application/json' },
  });
  const { getAccessToken, onUnauthorized } = options;
  if (getAccessToken !== undefined) {
    const auth: Middleware = {
      async onRequest({ request }) {
        const token = await getAccessToken();
        if (token !== null) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
      async onResponse({ request, response }) {
        if (response.status === 401 && request.headers.has('Authorization') && onUnauthorized) {
          onUnauthorized(parseProblem(await response.clone().text()));
        }
        return undefined;
      },
    };
    client.use(auth);
  }
  return client;
}

/**
 * Runs one openapi-fetch call, turning a failed fetch into `ApiError`s: no answer at
 * all is "unreachable", a success whose body is not JSON is "invalid".
 */
export async function send<R extends { response: Response }>(
  path: string,
  call: () => Promise<R>,
): Promise<R> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof SyntaxError) throw ApiError.invalid(path, 'the body is not JSON');
    throw ApiError.unreachable(path, error);
  }
}
