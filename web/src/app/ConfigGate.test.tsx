import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { config, healthy } from '../test/fixtures';
import { json, mockFetch, problem, unreachable } from '../test/fetchMock';
import { renderApp } from '../test/renderApp';

const CONFIG = 'GET /api/v1/config';

describe('starting the app', () => {
  it('shows the API’s problem detail when the configuration cannot be loaded, and retries', async () => {
    const network = mockFetch({
      [CONFIG]: () => problem(500, 'an unexpected error occurred', 'Internal Server Error'),
    });
    renderApp('/');

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Provena could not start')).toBeInTheDocument();
    expect(within(alert).getByText('Internal Server Error')).toBeInTheDocument();
    expect(within(alert).getByText('an unexpected error occurred')).toBeInTheDocument();

    network.on(CONFIG, () => json(config));
    network.on('GET /readyz', () => json(healthy));
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Provena' })).toBeInTheDocument();
  });

  it('says the API is unreachable when nothing answers', async () => {
    mockFetch({ [CONFIG]: unreachable });
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Provena is unreachable')).toBeInTheDocument();
  });

  it('refuses a configuration it cannot use, saying what is wrong', async () => {
    mockFetch({ [CONFIG]: () => json({ version: '0.1.0', profile: 'development' }) });
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/oidc: expected an object, got undefined/)).toBeInTheDocument();
  });
});
