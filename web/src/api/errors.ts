/**
 * One error type for every way a call to the API can go wrong:
 *
 *   ApiError
 *   ├── kind "unreachable"  no HTTP answer at all (network down, server stopped)
 *   ├── kind "http"         an HTTP error status, with its problem details if any
 *   └── kind "invalid"      an answer that is not what the API contract promises
 */
import { parseProblem, type Problem } from './problem';

export type ApiErrorKind = 'unreachable' | 'http' | 'invalid';

export interface ApiErrorOptions {
  readonly kind: ApiErrorKind;
  readonly path: string;
  readonly status?: number | null;
  readonly problem?: Problem | null;
  readonly cause?: unknown;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** The API path that was called, e.g. `/api/v1/me`. */
  readonly path: string;
  readonly status: number | null;
  readonly problem: Problem | null;

  constructor(message: string, options: Readonly<ApiErrorOptions>) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.kind = options.kind;
    this.path = options.path;
    this.status = options.status ?? null;
    this.problem = options.problem ?? null;
  }

  /** The error for an HTTP error `response` whose body was `body`. */
  static fromResponse(path: string, response: Response, body: unknown): ApiError {
    const problem = parseProblem(body);
    const statusText = response.statusText !== '' ? response.statusText : (problem?.title ?? 'error');
    const message = problem?.detail ?? problem?.title ?? `HTTP ${response.status} ${statusText}`;
    return new ApiError(message, { kind: 'http', path, status: response.status, problem });
  }

  static unreachable(path: string, cause: unknown): ApiError {
    return new ApiError('The Provena API could not be reached.', {
      kind: 'unreachable',
      path,
      cause,
    });
  }

  static invalid(path: string, reason: string, status: number | null = null): ApiError {
    return new ApiError(`The API sent an unexpected answer to ${path}: ${reason}.`, {
      kind: 'invalid',
      path,
      status,
    });
  }

  /** The caller's credentials were missing, expired or refused. */
  get isUnauthorized(): boolean {
    return this.kind === 'http' && this.status === 401;
  }
}

/** A title and message fit to show a person, for any thrown value. */
export function describeError(error: unknown): { title: string; message: string } {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case 'unreachable':
        return {
          title: 'Provena is unreachable',
          message: 'The API did not answer. Check your connection and that Provena is running.',
        };
      case 'invalid':
        return { title: 'Unexpected answer from the API', message: error.message };
      case 'http':
        return {
          title: error.problem?.title ?? `Request failed (HTTP ${String(error.status)})`,
          message: error.message,
        };
    }
  }
  if (error instanceof Error) return { title: 'Something went wrong', message: error.message };
  return { title: 'Something went wrong', message: String(error) };
}
