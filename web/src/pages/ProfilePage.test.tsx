import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { config, david, signIn } from '../test/fixtures';
import { json, mockFetch, problem } from '../test/fetchMock';
import { renderApp } from '../test/renderApp';

const ME = 'GET /api/v1/me';

describe('ProfilePage', () => {
  it('shows who the API says the person is', async () => {
    signIn('David Okafor', 'david.okafor', 'token-abc');
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [ME]: () => json(david) });
    renderApp('/profile');

    expect(await screen.findByRole('heading', { level: 1, name: 'David Okafor' })).toBeInTheDocument();
    const identity = screen.getByRole('region', { name: 'Identity' });
    expect(within(identity).getByText('david.okafor@certifier.provena.test')).toBeInTheDocument();
    expect(within(identity).getByText('david.okafor')).toBeInTheDocument();
    const organization = screen.getByRole('region', { name: 'Organization' });
    expect(within(organization).getByText('Veritas Organic Certification')).toBeInTheDocument();
    expect(within(organization).getByText('CertifierMSP')).toBeInTheDocument();
    expect(within(organization).getByText('Certification body')).toBeInTheDocument();
    const roles = within(screen.getByRole('region', { name: 'Roles' })).getAllByRole('listitem');
    expect(roles.map((role) => role.textContent)).toEqual(['certifier']);

    expect(network.calls(ME)[0]?.headers.get('Authorization')).toBe('Bearer token-abc');
  });

  it('asks to sign in again, in plain words, when the token is refused', async () => {
    signIn();
    mockFetch({
      'GET /api/v1/config': () => json(config),
      [ME]: () => problem(401, 'the token has expired', 'Unauthorized'),
    });
    renderApp('/profile');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Your session has ended')).toBeInTheDocument();
    expect(within(alert).getByText(/Your sign-in expired\. Sign in again to continue\./)).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Sign in again' })).toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Sign in to see your profile' })).toBeInTheDocument();
    expect(window.sessionStorage.length).toBe(0);
  });

  it('never shows a token parser’s message', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    signIn();
    mockFetch({
      'GET /api/v1/config': () => json(config),
      [ME]: () => problem(401, 'invalid token: Not enough segments', 'Unauthorized'),
    });
    renderApp('/profile');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/Provena no longer accepts your sign-in\./)).toBeInTheDocument();
    expect(within(alert).queryByText(/segments|invalid token/)).not.toBeInTheDocument();
  });

  it('shows other errors with their detail and a retry', async () => {
    signIn();
    mockFetch({
      'GET /api/v1/config': () => json(config),
      [ME]: () => problem(403, 'your organization is suspended', 'Forbidden'),
    });
    renderApp('/profile');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Your profile could not be loaded')).toBeInTheDocument();
    expect(within(alert).getByText('your organization is suspended')).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('asks someone signed out to sign in', async () => {
    const network = mockFetch({ 'GET /api/v1/config': () => json(config) });
    renderApp('/profile');
    expect(await screen.findByRole('heading', { name: 'Sign in to see your profile' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in to continue' })).toBeInTheDocument();
    expect(network.calls(ME)).toHaveLength(0);
  });
});
