import { describe, expect, it } from 'vitest';
import { parseProblem } from './problem';

describe('parseProblem', () => {
  it('reads every member of an RFC 9457 problem', () => {
    const body = {
      type: 'https://provena.test/problems/token',
      title: 'Unauthorized',
      status: 401,
      detail: 'the token has expired',
      instance: '/api/v1/me',
    };
    expect(parseProblem(body)).toEqual(body);
  });

  it('parses the text of a problem+json body', () => {
    const text = '{"title":"Forbidden","status":403,"detail":"certifier role required"}';
    expect(parseProblem(text)).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'certifier role required',
      instance: null,
    });
  });

  it('keeps extension members out and tolerates missing ones', () => {
    const problem = parseProblem({ detail: 'the request is invalid', errors: [{ loc: ['body'] }] });
    expect(problem).toEqual({
      type: 'about:blank',
      title: null,
      status: null,
      detail: 'the request is invalid',
      instance: null,
    });
  });

  it('ignores members of the wrong type', () => {
    expect(parseProblem({ title: 'Bad Gateway', status: '502', detail: 42 })).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: null,
      detail: null,
      instance: null,
    });
  });

  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
    ['null', null],
    ['a JSON array', [{ title: 'x' }]],
    ['an object that is not a problem', { status: 500, message: 'boom' }],
    ['a number', 500],
  ])('returns null for %s', (_, body) => {
    expect(parseProblem(body)).toBeNull();
  });
});
