import { describe, expect, it } from 'vitest';
import { config } from '../test/fixtures';
import { json, mockFetch, problem, unreachable } from '../test/fetchMock';
import { createApiClient } from './client';
import { loadConfig } from './config';
import { ApiError } from './errors';

const ROUTE = 'GET /api/v1/config';

async function loadFailure(): Promise<ApiError> {
  const error: unknown = await loadConfig(createApiClient()).then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('loadConfig', () => {
  it('returns the configuration the API sends', async () => {
    const network = mockFetch({ [ROUTE]: () => json(config) });
    await expect(loadConfig(createApiClient())).resolves.toEqual(config);
    expect(network.calls(ROUTE)).toHaveLength(1);
  });

  it('reports a problem+json error with its detail', async () => {
    mockFetch({ [ROUTE]: () => problem(500, 'an unexpected error occurred', 'Internal Server Error') });
    const error = await loadFailure();
    expect(error.kind).toBe('http');
    expect(error.status).toBe(500);
    expect(error.message).toBe('an unexpected error occurred');
  });

  it('refuses a page that is not JSON (say, the app itself served for an unknown path)', async () => {
    mockFetch({
      [ROUTE]: () =>
        new Response('<!doctype html><title>Provena</title>', { headers: { 'Content-Type': 'text/html' } }),
    });
    const error = await loadFailure();
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/not JSON/);
  });

  it('names the missing field of an incomplete configuration', async () => {
    mockFetch({
      [ROUTE]: () => json({ ...config, oidc: { authority: config.oidc.authority, scope: 'openid' } }),
    });
    const error = await loadFailure();
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/oidc\.client_id: expected a non-empty string, got undefined/);
  });

  it('refuses an authority that is not an absolute URL', async () => {
    mockFetch({ [ROUTE]: () => json({ ...config, oidc: { ...config.oidc, authority: '/dev-oidc' } }) });
    const error = await loadFailure();
    expect(error.message).toMatch(/oidc\.authority: expected an absolute URL, got "\/dev-oidc"/);
  });

  it('refuses a body that is not an object', async () => {
    mockFetch({ [ROUTE]: () => json(['development']) });
    expect((await loadFailure()).message).toMatch(/the body: expected an object, got an array/);
  });

  it('says the API is unreachable when nothing answers', async () => {
    mockFetch({ [ROUTE]: unreachable });
    const error = await loadFailure();
    expect(error.kind).toBe('unreachable');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});
