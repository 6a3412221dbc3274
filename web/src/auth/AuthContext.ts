/** What the rest of the app knows about the signed-in person, and can do about it. */
import type { User } from 'oidc-client-ts';
import { createContext, useContext } from 'react';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface Auth {
  readonly status: AuthStatus;
  /** The OIDC user (tokens and ID token claims) while signed in. */
  readonly user: User | null;
  /** Set when a session ended on its own (the API refused the token, or renewal failed). */
  readonly sessionEnded: boolean;
  /** Why it ended, when known (the API's problem detail). */
  readonly sessionEndReason: string | null;
  /** Starts sign-in at the issuer; `returnTo` is the app path to come back to. */
  readonly signIn: (returnTo?: string) => Promise<void>;
  /** Signs out locally and at the issuer (its end_session endpoint). */
  readonly signOut: () => Promise<void>;
  /** Finishes the sign-in at the callback URL; resolves to the path to go to next. */
  readonly completeSignIn: () => Promise<string>;
  /** Forgets the user because their session is no longer valid, saying why if known. */
  readonly endSession: (reason?: string | null) => void;
  /** The access token to send to the API, or null. */
  readonly getAccessToken: () => Promise<string | null>;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error('useAuth() needs an <AuthProvider> above it');
  return auth;
}
