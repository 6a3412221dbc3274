/** Payloads shaped exactly like the API contract, for tests. */
import { User } from 'oidc-client-ts';
import type { AppConfig, Me, Readiness } from '../api/types';

export const AUTHORITY = 'http://127.0.0.1:8000/dev-oidc';

export const config: AppConfig = {
  version: '0.1.0',
  profile: 'development',
  oidc: { authority: AUTHORITY, client_id: 'provena-web', scope: 'openid profile email groups' },
};

export const david: Me = {
  subject: 'david.okafor',
  email: 'david.okafor@certifier.provena.test',
  display_name: 'David Okafor',
  roles: ['certifier'],
  organization: { msp_id: 'CertifierMSP', name: 'Veritas Organic Certification', kind: 'certification_body' },
};

export const healthy: Readiness = {
  status: 'ok',
  checks: [
    { name: 'database', status: 'ok', detail: 'sqlite', latency_ms: 0.42 },
    { name: 'identity', status: 'ok', detail: `${AUTHORITY} (1 signing key)`, latency_ms: 3.1 },
    { name: 'data_dir', status: 'ok', detail: '12034 MiB free', latency_ms: 0.2 },
  ],
};

export const ledgerDown: Readiness = {
  status: 'fail',
  checks: [
    ...healthy.checks,
    {
      name: 'ledger',
      status: 'fail',
      detail: 'ConnectionRefusedError: [Errno 111] Connection refused',
      latency_ms: 1503.2,
    },
  ],
};

export const discovery = {
  issuer: AUTHORITY,
  authorization_endpoint: `${AUTHORITY}/authorize`,
  token_endpoint: `${AUTHORITY}/token`,
  userinfo_endpoint: `${AUTHORITY}/userinfo`,
  jwks_uri: `${AUTHORITY}/jwks`,
  end_session_endpoint: `${AUTHORITY}/logout`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
};

/** An unsigned JWT: the browser never checks signatures, the API does. */
export function fakeJwt(claims: Readonly<Record<string, unknown>>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** Puts a signed-in user in sessionStorage, where the app's OIDC client keeps it. */
export function signIn(
  name = 'David Okafor',
  subject = 'david.okafor',
  accessToken = 'access-token-1',
): User {
  const now = Math.floor(Date.now() / 1000);
  const user = new User({
    access_token: accessToken,
    token_type: 'Bearer',
    id_token: fakeJwt({ iss: AUTHORITY, sub: subject, aud: 'provena-web', iat: now, exp: now + 3600, name }),
    scope: config.oidc.scope,
    profile: { iss: AUTHORITY, sub: subject, aud: 'provena-web', iat: now, exp: now + 3600, name },
    expires_at: now + 3600,
  });
  window.sessionStorage.setItem(`oidc.user:${AUTHORITY}:provena-web`, user.toStorageString());
  return user;
}
