/**
 * Where to go after signing in. Only a path on this origin is accepted, so a crafted
 * sign-in state cannot send anyone elsewhere.
 */
import { CALLBACK_PATH } from './userManager';

export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
  if (value.includes('\\')) return '/';
  const url = new URL(value, 'http://provena.invalid');
  if (url.origin !== 'http://provena.invalid' || url.pathname === CALLBACK_PATH) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in state object carried through the issuer and back. */
export interface SignInState {
  readonly returnTo: string;
}

export function readSignInState(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'returnTo' in state) {
    return safeReturnTo(state.returnTo);
  }
  return '/';
}
