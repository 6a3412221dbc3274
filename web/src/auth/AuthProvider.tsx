import type { User, UserManager } from 'oidc-client-ts';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuthContext, type Auth, type AuthStatus } from './AuthContext';
import { sessionEnded } from './explain';
import { readSignInState, safeReturnTo, type SignInState } from './returnTo';

export interface AuthProviderProps {
  readonly userManager: UserManager;
  readonly children: ReactNode;
}

interface Session {
  readonly status: AuthStatus;
  readonly user: User | null;
}

interface Ended {
  readonly ended: boolean;
  readonly reason: string | null;
}

const usable = (user: User | null): user is User => user !== null && !user.expired;
const NOT_ENDED: Ended = { ended: false, reason: null };

/** Holds the sign-in state of the tab and follows the OIDC client's events. */
export function AuthProvider({ userManager, children }: AuthProviderProps) {
  const [session, setSession] = useState<Session>({ status: 'loading', user: null });
  const [ended, setEnded] = useState<Ended>(NOT_ENDED);
  const callback = useRef<{ url: string; result: Promise<string> } | null>(null);

  const show = useCallback((user: User | null) => {
    setSession(usable(user) ? { status: 'signed-in', user } : { status: 'signed-out', user: null });
  }, []);

  const endSession = useCallback(
    (reason: string | null = null) => {
      setEnded({ ended: true, reason });
      setSession({ status: 'signed-out', user: null });
      void userManager.removeUser();
    },
    [userManager],
  );

  useEffect(() => {
    let active = true;
    const events = userManager.events;
    const loaded = (user: User) => {
      if (!active) return;
      setEnded(NOT_ENDED);
      show(user);
    };
    const unloaded = () => {
      if (active) show(null);
    };
    const expired = () => {
      if (active) endSession(sessionEnded('expired'));
    };
    const renewFailed = (error: Error) => {
      console.warn('sign-in renewal failed:', error);
      if (active) endSession(sessionEnded('not-renewed'));
    };
    events.addUserLoaded(loaded);
    events.addUserUnloaded(unloaded);
    events.addAccessTokenExpired(expired);
    events.addSilentRenewError(renewFailed);

    async function restore(): Promise<void> {
      const stored = await userManager.getUser();
      if (stored?.expired === true && stored.refresh_token) {
        // A tab reopened after its token ran out: the refresh token may still be good.
        try {
          const renewed = await userManager.signinSilent();
          if (active) show(renewed);
        } catch (error) {
          if (active) renewFailed(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      if (active) show(stored);
    }
    restore().catch(() => {
      if (active) show(null);
    });

    return () => {
      active = false;
      events.removeUserLoaded(loaded);
      events.removeUserUnloaded(unloaded);
      events.removeAccessTokenExpired(expired);
      events.removeSilentRenewError(renewFailed);
    };
  }, [userManager, show, endSession]);

  const signIn = useCallback(
    async (returnTo = '/') => {
      const state: SignInState = { returnTo: safeReturnTo(returnTo) };
      await userManager.signinRedirect({ state });
    },
    [userManager],
  );

  const signOut = useCallback(async () => {
    setEnded(NOT_ENDED);
    // signoutRedirect forgets the user first, then leaves for the issuer's end_session.
    await userManager.signoutRedirect();
  }, [userManager]);

  const completeSignIn = useCallback(() => {
    const url = window.location.href;
    if (callback.current?.url !== url) {
      // A code can be exchanged only once, and React may run the caller's effect twice.
      const result = userManager.signinRedirectCallback(url).then((user) => {
        setEnded(NOT_ENDED);
        show(user);
        return readSignInState(user.state);
      });
      callback.current = { url, result };
    }
    return callback.current.result;
  }, [userManager, show]);

  const getAccessToken = useCallback(async () => {
    const user = await userManager.getUser();
    return usable(user) ? user.access_token : null;
  }, [userManager]);

  const auth = useMemo<Auth>(
    () => ({
      status: session.status,
      user: session.user,
      sessionEnded: ended.ended,
      sessionEndReason: ended.reason,
      signIn,
      signOut,
      completeSignIn,
      endSession,
      getAccessToken,
    }),
    [session, ended, signIn, signOut, completeSignIn, endSession, getAccessToken],
  );

  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
