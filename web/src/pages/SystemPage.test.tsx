import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { READINESS_POLL_MS } from '../api/queries';
import { config, healthy, ledgerDown } from '../test/fixtures';
import { json, mockFetch, unreachable } from '../test/fetchMock';
import { renderApp } from '../test/renderApp';

const READYZ = 'GET /readyz';

describe('SystemPage', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows each check, the overall status, the version and the profile', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config), [READYZ]: () => json(ledgerDown, 503) });
    renderApp('/system');

    const overall = await screen.findByRole('region', { name: 'Overall status' });
    expect(within(overall).getByText('1 of 4 checks failing')).toBeInTheDocument();
    for (const name of ['Database', 'Identity provider', 'Data directory', 'Ledger']) {
      expect(screen.getByRole('listitem', { name })).toBeInTheDocument();
    }
    const deployment = screen.getByRole('region', { name: 'Deployment' });
    expect(within(deployment).getByText('0.1.0')).toBeInTheDocument();
    expect(within(deployment).getByText('development')).toBeInTheDocument();
  });

  it(`asks again every ${String(READINESS_POLL_MS / 1000)} seconds`, async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const network = mockFetch({
      'GET /api/v1/config': () => json(config),
      [READYZ]: () => json(ledgerDown, 503),
    });
    renderApp('/system');
    expect(await screen.findByText('1 of 4 checks failing')).toBeInTheDocument();

    network.on(READYZ, () => json(healthy));
    await act(() => vi.advanceTimersByTimeAsync(READINESS_POLL_MS));
    expect(await screen.findByText('All systems operational')).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: 'Ledger' })).not.toBeInTheDocument();
    expect(network.calls(READYZ).length).toBeGreaterThanOrEqual(2);
  });

  it('says readiness is unknown when the API does not answer', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config), [READYZ]: unreachable });
    renderApp('/system');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Readiness is unknown')).toBeInTheDocument();
    expect(within(alert).getByText('Provena is unreachable')).toBeInTheDocument();
  });

  it('keeps the last answer on screen when a refresh fails', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [READYZ]: () => json(healthy) });
    renderApp('/system');
    expect(await screen.findByText('All systems operational')).toBeInTheDocument();

    network.on(READYZ, unreachable);
    await act(() => vi.advanceTimersByTimeAsync(READINESS_POLL_MS));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not refresh')).toBeInTheDocument();
    expect(screen.getByText('All systems operational')).toBeInTheDocument();
  });
});
