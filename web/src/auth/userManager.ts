/** The OIDC client, configured from what the API says at /api/v1/config. */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcClientConfig } from '../api/types';

export const CALLBACK_PATH = '/auth/callback';

/**
 * Authorization code flow with PKCE (the library default). Tokens and the pending
 * sign-in state live in sessionStorage: they go when the tab closes. Tokens are
 * renewed with the refresh token when the issuer gives one; userinfo is not read,
 * because /api/v1/me is the authority on who someone is in Provena.
 */
export function createUserManager(
  oidc: OidcClientConfig,
  origin: string = window.location.origin,
): UserManager {
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  return new UserManager({
    authority: oidc.authority,
    client_id: oidc.client_id,
    scope: oidc.scope,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: true,
  });
}
