import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OidcClient } from 'oidc-client-ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUserManager } from '../auth/userManager';
import { AUTHORITY, config, david, discovery, fakeJwt, healthy } from '../test/fixtures';
import { json, mockFetch, type FetchMock } from '../test/fetchMock';
import { renderApp } from '../test/renderApp';

const DISCOVERY = `GET ${AUTHORITY}/.well-known/openid-configuration`;
const TOKEN = `POST ${AUTHORITY}/token`;

function network(): FetchMock {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: AUTHORITY,
    sub: 'david.okafor',
    aud: 'provena-web',
    iat: now,
    exp: now + 3600,
    name: 'David Okafor',
  };
  return mockFetch({
    'GET /api/v1/config': () => json(config),
    'GET /api/v1/me': () => json(david),
    'GET /readyz': () => json(healthy),
    [DISCOVERY]: () => json(discovery),
    [TOKEN]: () =>
      json({
        access_token: 'access-from-code',
        id_token: fakeJwt(claims),
        refresh_token: 'refresh-1',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: config.oidc.scope,
      }),
  });
}

/** What signinRedirect leaves behind before leaving for the issuer: a stored state. */
async function pendingSignIn(returnTo: string): Promise<string> {
  const client = new OidcClient(createUserManager(config.oidc).settings);
  const request = await client.createSigninRequest({ state: { returnTo }, request_type: 'si:r' });
  const state = new URL(request.url).searchParams.get('state');
  if (state === null) throw new Error('the sign-in request has no state');
  return state;
}

function arriveAt(path: string): void {
  window.history.replaceState(null, '', path);
  renderApp(path);
}

describe('AuthCallbackPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('exchanges the code with its PKCE verifier and goes where the person was going', async () => {
    const fake = network();
    const state = await pendingSignIn('/system');
    arriveAt(`/auth/callback?code=the-code&state=${state}`);

    expect(await screen.findByRole('heading', { name: 'System status' })).toBeInTheDocument();
    expect(
      await within(screen.getByRole('banner')).findByRole('button', { name: 'David Okafor' }),
    ).toBeInTheDocument();

    const [exchange] = fake.calls(TOKEN);
    const form = new URLSearchParams(exchange?.body ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('redirect_uri')).toBe(`${window.location.origin}/auth/callback`);
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
    expect(fake.calls(TOKEN)).toHaveLength(1);
  });

  it('shows what the issuer said when sign-in was refused', async () => {
    network();
    const state = await pendingSignIn('/');
    arriveAt(`/auth/callback?error=access_denied&error_description=no+demo+user+named+x&state=${state}`);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Sign-in did not complete')).toBeInTheDocument();
    expect(
      within(alert).getByText('The sign-in service refused the sign-in. It said: “no demo user named x”.'),
    ).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Try signing in again' })).toBeInTheDocument();
  });

  it('refuses a callback it did not ask for', async () => {
    network();
    arriveAt('/auth/callback?code=stolen&state=not-ours');
    const alert = await screen.findByRole('alert');
    expect(
      within(alert).getByText('This sign-in link was already used, or was opened in another browser or tab.'),
    ).toBeInTheDocument();
    expect(within(alert).queryByText(/matching state|storage/)).not.toBeInTheDocument();
    await userEvent.click(within(alert).getByRole('link', { name: 'Go home' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Provena' })).toBeInTheDocument();
  });
});

describe('starting sign-in', () => {
  it('keeps a PKCE state saying where to come back to', async () => {
    // jsdom cannot leave the page for the issuer; it reports that on the console.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = network();
    window.history.replaceState(null, '', '/profile');
    renderApp('/profile');

    await userEvent.click(await screen.findByRole('button', { name: 'Sign in to continue' }));
    await vi.waitFor(() => {
      expect(fake.calls(DISCOVERY)).toHaveLength(1);
    });
    await vi.waitFor(() => {
      const states = Object.keys(window.sessionStorage).filter(
        (key) => key.startsWith('oidc.') && !key.startsWith('oidc.user'),
      );
      expect(states).toHaveLength(1);
      const stored = JSON.parse(window.sessionStorage.getItem(states[0] ?? '') ?? '{}') as Record<
        string,
        unknown
      >;
      expect(stored['data']).toEqual({ returnTo: '/profile' });
      expect(stored['code_verifier']).toEqual(expect.any(String));
    });
  });
});
