import { describe, expect, it, vi } from 'vitest';
import { david } from '../test/fixtures';
import { json, mockFetch, problem } from '../test/fetchMock';
import { createApiClient } from './client';
import { ApiError } from './errors';
import { fetchMe } from './me';
import type { Problem } from './problem';

const ME = 'GET /api/v1/me';

describe('createApiClient', () => {
  it('sends the access token as a bearer token', async () => {
    const network = mockFetch({ [ME]: () => json(david) });
    const client = createApiClient({ getAccessToken: () => Promise.resolve('token-123') });
    await expect(fetchMe(client)).resolves.toEqual(david);
    expect(network.calls(ME)[0]?.headers.get('Authorization')).toBe('Bearer token-123');
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    const network = mockFetch({ [ME]: () => problem(401, 'a bearer token is required', 'Unauthorized') });
    const onUnauthorized = vi.fn();
    const client = createApiClient({ getAccessToken: () => Promise.resolve(null), onUnauthorized });
    await expect(fetchMe(client)).rejects.toBeInstanceOf(ApiError);
    expect(network.calls(ME)[0]?.headers.has('Authorization')).toBe(false);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports a refused token with the API’s problem, and still fails the call', async () => {
    mockFetch({ [ME]: () => problem(401, 'the token has expired', 'Unauthorized') });
    const seen: (Problem | null)[] = [];
    const client = createApiClient({
      getAccessToken: () => Promise.resolve('stale'),
      onUnauthorized: (refusal) => seen.push(refusal),
    });
    const error: unknown = await fetchMe(client).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isUnauthorized).toBe(true);
    expect((error as ApiError).message).toBe('the token has expired');
    expect(seen).toEqual([expect.objectContaining({ status: 401, detail: 'the token has expired' })]);
  });

  it('does not end the session on other errors', async () => {
    mockFetch({ [ME]: () => problem(403, 'not allowed', 'Forbidden') });
    const onUnauthorized = vi.fn();
    const client = createApiClient({ getAccessToken: () => Promise.resolve('t'), onUnauthorized });
    await expect(fetchMe(client)).rejects.toThrow('not allowed');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});

describe('fetchMe', () => {
  it('accepts a person with no organization', async () => {
    const loner = { ...david, organization: null, roles: [] };
    mockFetch({ [ME]: () => json(loner) });
    await expect(fetchMe(createApiClient())).resolves.toEqual(loner);
  });

  it('refuses roles that are not strings', async () => {
    mockFetch({ [ME]: () => json({ ...david, roles: [7] }) });
    await expect(fetchMe(createApiClient())).rejects.toThrow(
      /roles\[0\]: expected a non-empty string, got 7/,
    );
  });
});
