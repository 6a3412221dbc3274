/**
 * Runtime checks of what the API sends. The generated types describe the contract at
 * compile time; these make sure an answer really has that shape before the app uses
 * it, and say where it does not ("oidc.client_id: expected a string, got undefined").
 */

/** Checks `value` found at `at`; returns what is wrong, or null when it conforms. */
export type Shape = (value: unknown, at: string) => string | null;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'object':
      return 'an object';
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return 'undefined';
  }
}

const expected = (what: string, value: unknown, at: string): string =>
  `${at === '' ? 'the body' : at}: expected ${what}, got ${describe(value)}`;

export const string: Shape = (value, at) =>
  typeof value === 'string' ? null : expected('a string', value, at);

export const nonEmptyString: Shape = (value, at) =>
  typeof value === 'string' && value.trim() !== '' ? null : expected('a non-empty string', value, at);

export const number: Shape = (value, at) =>
  typeof value === 'number' && Number.isFinite(value) ? null : expected('a number', value, at);

export const absoluteUrl: Shape = (value, at) => {
  if (typeof value !== 'string' || !URL.canParse(value)) return expected('an absolute URL', value, at);
  return null;
};

export function nullable(shape: Shape): Shape {
  return (value, at) => (value === null || value === undefined ? null : shape(value, at));
}

export function arrayOf(item: Shape): Shape {
  return (value, at) => {
    if (!Array.isArray(value)) return expected('an array', value, at);
    for (const [index, element] of (value as unknown[]).entries()) {
      const problem = item(element, `${at}[${String(index)}]`);
      if (problem !== null) return problem;
    }
    return null;
  };
}

export function object(fields: Readonly<Record<string, Shape>>): Shape {
  return (value, at) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return expected('an object', value, at);
    }
    const record = value as Record<string, unknown>;
    for (const [name, shape] of Object.entries(fields)) {
      const problem = shape(record[name], at === '' ? name : `${at}.${name}`);
      if (problem !== null) return problem;
    }
    return null;
  };
}

/** `value` as a `T` if it has `shape`; otherwise the description of the first mismatch. */
// T is the static type `shape` describes; the caller names it, the check vouches for it.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function conform<T>(
  value: unknown,
  shape: Shape,
): { ok: true; value: T } | { ok: false; problem: string } {
  const problem = shape(value, '');
  return problem === null ? { ok: true, value: value as T } : { ok: false, problem };
}
