import { describe, expect, it } from 'vitest';
import { readSignInState, safeReturnTo } from './returnTo';

describe('safeReturnTo', () => {
  it.each([
    ['/profile', '/profile'],
    ['/system?tab=checks#database', '/system?tab=checks#database'],
    ['/', '/'],
  ])('keeps the app path %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/profile'],
    ['a backslash trick', '/\\evil.example'],
    ['a relative path', 'profile'],
    ['the callback itself', '/auth/callback?code=x'],
    ['not a string', 42],
    ['nothing', undefined],
  ])('sends %s home', (_, input) => {
    expect(safeReturnTo(input)).toBe('/');
  });
});

describe('readSignInState', () => {
  it('reads returnTo from the state carried through the issuer', () => {
    expect(readSignInState({ returnTo: '/profile' })).toBe('/profile');
  });

  it('goes home when the state is missing or odd', () => {
    expect(readSignInState(undefined)).toBe('/');
    expect(readSignInState({ returnTo: 'https://evil.example' })).toBe('/');
    expect(readSignInState('x')).toBe('/');
  });
});
