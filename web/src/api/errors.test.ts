import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from './errors';

describe('ApiError.fromResponse', () => {
  it('uses the problem detail as the message', () => {
    const response = new Response(null, { status: 401, statusText: 'Unauthorized' });
    const error = ApiError.fromResponse('/api/v1/me', response, {
      title: 'Unauthorized',
      status: 401,
      detail: 'a bearer token is required',
    });
    expect(error.message).toBe('a bearer token is required');
    expect(error.kind).toBe('http');
    expect(error.status).toBe(401);
    expect(error.isUnauthorized).toBe(true);
    expect(error.problem?.title).toBe('Unauthorized');
  });

  it('falls back to the status line when the body is not a problem', () => {
    const response = new Response(null, { status: 502, statusText: 'Bad Gateway' });
    const error = ApiError.fromResponse('/readyz', response, '<html>nginx</html>');
    expect(error.message).toBe('HTTP 502 Bad Gateway');
    expect(error.problem).toBeNull();
    expect(error.isUnauthorized).toBe(false);
  });
});

describe('describeError', () => {
  it('explains an unreachable API', () => {
    const { title, message } = describeError(
      ApiError.unreachable('/readyz', new TypeError('Failed to fetch')),
    );
    expect(title).toBe('Provena is unreachable');
    expect(message).toMatch(/did not answer/);
  });

  it('shows the problem title and detail of an HTTP error', () => {
    const response = new Response(null, { status: 403 });
    const error = ApiError.fromResponse('/api/v1/me', response, {
      title: 'Forbidden',
      status: 403,
      detail: 'no role',
    });
    expect(describeError(error)).toEqual({ title: 'Forbidden', message: 'no role' });
  });

  it('names the status when there is no problem', () => {
    const error = ApiError.fromResponse('/api/v1/me', new Response(null, { status: 500 }), '');
    expect(describeError(error).title).toBe('Request failed (HTTP 500)');
  });

  it('handles anything thrown', () => {
    expect(describeError(new Error('boom')).message).toBe('boom');
    expect(describeError('odd').message).toBe('odd');
  });
});
