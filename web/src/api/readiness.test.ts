import { describe, expect, it } from 'vitest';
import { healthy, ledgerDown } from '../test/fixtures';
import { json, mockFetch, problem, unreachable } from '../test/fetchMock';
import { createApiClient } from './client';
import { ApiError } from './errors';
import { fetchReadiness } from './readiness';

const READYZ = 'GET /readyz';

describe('fetchReadiness', () => {
  it('returns a healthy report', async () => {
    mockFetch({ [READYZ]: () => json(healthy) });
    await expect(fetchReadiness(createApiClient())).resolves.toEqual(healthy);
  });

  it('treats a 503 carrying a report as an answer, not an error', async () => {
    mockFetch({ [READYZ]: () => json(ledgerDown, 503) });
    await expect(fetchReadiness(createApiClient())).resolves.toEqual(ledgerDown);
  });

  it('accepts checks it has never heard of, without a detail', async () => {
    const report = { status: 'ok', checks: [{ name: 'ipfs', status: 'ok', latency_ms: 12 }] };
    mockFetch({ [READYZ]: () => json(report) });
    await expect(fetchReadiness(createApiClient())).resolves.toEqual(report);
  });

  it('fails on a 503 that is not a report (a proxy with no upstream, say)', async () => {
    mockFetch({
      [READYZ]: () => problem(503, 'the identity provider is unavailable', 'Service Unavailable'),
    });
    const error: unknown = await fetchReadiness(createApiClient()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).message).toBe('the identity provider is unavailable');
  });

  it('refuses a report whose checks lack a latency', async () => {
    mockFetch({ [READYZ]: () => json({ status: 'ok', checks: [{ name: 'database', status: 'ok' }] }) });
    await expect(fetchReadiness(createApiClient())).rejects.toThrow(
      /checks\[0\]\.latency_ms: expected a number/,
    );
  });

  it('is unreachable when nothing answers', async () => {
    mockFetch({ [READYZ]: unreachable });
    await expect(fetchReadiness(createApiClient())).rejects.toMatchObject({ kind: 'unreachable' });
  });
});
