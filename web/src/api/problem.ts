/**
 * RFC 9457 problem details, as the API sends them with `application/problem+json`.
 *
 * Every member is optional in the RFC, so parsing is lenient about which are present
 * but strict about their types: a body is a problem only if it is a JSON object with
 * at least a `title`, `detail` or `type` string.
 */

export interface Problem {
  /** A URI naming the kind of problem; `about:blank` when the server gave none. */
  readonly type: string;
  readonly title: string | null;
  readonly status: number | null;
  readonly detail: string | null;
  readonly instance: string | null;
}

export const PROBLEM_JSON = 'application/problem+json';

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problem in `body` (parsed JSON or its text), or null if it is not one. */
export function parseProblem(body: unknown): Problem | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (!isRecord(value)) return null;
  const type = optionalString(value['type']);
  const title = optionalString(value['title']);
  const detail = optionalString(value['detail']);
  if (type === null && title === null && detail === null) return null;
  const status = value['status'];
  return {
    type: type ?? 'about:blank',
    title,
    status: typeof status === 'number' && Number.isInteger(status) ? status : null,
    detail,
    instance: optionalString(value['instance']),
  };
}
