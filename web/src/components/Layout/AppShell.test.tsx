import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { config, david, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

describe('the app shell', () => {
  it('offers sign-in and only the public pages to someone signed out', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config) });
    renderApp('/');

    const header = await screen.findByRole('banner');
    expect(await within(header).findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const links = within(nav)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(links).toEqual(['Home', 'Verify', 'System']);
    expect(within(nav).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  });

  it('shows the signed-in person with organization and roles, and a way out', async () => {
    signIn();
    mockFetch({ 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(david) });
    renderApp('/');

    const header = await screen.findByRole('banner');
    const account = await within(header).findByRole('button', { name: 'David Okafor' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual([
      'Home',
      'Profile',
      'Certificates',
      'Shipments',
      'Trace',
      'Recalls',
      'Verify',
      'Network',
      'System',
    ]);

    await userEvent.click(account);
    const menu = await screen.findByRole('menu');
    expect(await within(menu).findByText('Veritas Organic Certification · CertifierMSP')).toBeInTheDocument();
    expect(within(within(menu).getByRole('list', { name: 'Roles' })).getByRole('listitem')).toHaveTextContent(
      'certifier',
    );
    expect(within(menu).getByRole('menuitem', { name: 'Sign out' })).toBeInTheDocument();
    expect(within(menu).getByRole('menuitem', { name: 'Profile' })).toBeInTheDocument();
  });

  it('has a labelled burger that opens and closes the navigation', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config) });
    renderApp('/');
    const burger = await screen.findByRole('button', { name: 'Open navigation' });
    expect(burger).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(burger);
    expect(screen.getByRole('button', { name: 'Close navigation' })).toHaveAttribute('aria-expanded', 'true');
  });

  it('answers an unknown address with a page of its own', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config) });
    renderApp('/no-such-page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
