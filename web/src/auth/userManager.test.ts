import { WebStorageStateStore } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { config } from '../test/fixtures';
import { createUserManager } from './userManager';

describe('createUserManager', () => {
  it('signs in with the code flow against the configured issuer', () => {
    const { settings } = createUserManager(config.oidc, 'https://provena.example');
    expect(settings.authority).toBe(config.oidc.authority);
    expect(settings.client_id).toBe('provena-web');
    expect(settings.scope).toBe('openid profile email groups');
    expect(settings.response_type).toBe('code');
    expect(settings.redirect_uri).toBe('https://provena.example/auth/callback');
    expect(settings.post_logout_redirect_uri).toBe('https://provena.example/');
  });

  it('keeps users and pending sign-ins in sessionStorage', async () => {
    const manager = createUserManager(config.oidc);
    expect(manager.settings.userStore).toBeInstanceOf(WebStorageStateStore);
    await manager.settings.stateStore.set('probe', 'value');
    await manager.settings.userStore.set('probe-user', 'value');
    expect(window.sessionStorage.getItem('oidc.probe')).toBe('value');
    expect(window.sessionStorage.getItem('oidc.probe-user')).toBe('value');
    expect(window.localStorage.length).toBe(0);
  });

  it('uses the page origin by default', () => {
    const { settings } = createUserManager(config.oidc);
    expect(settings.redirect_uri).toBe(`${window.location.origin}/auth/callback`);
  });
});
