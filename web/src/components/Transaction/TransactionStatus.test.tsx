import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../../app/AppProviders';
import { FakeEventSource, fakeEventSource } from '../../live/fakeEventSource';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { createTestQueryClient } from '../../test/renderApp';
import { STATUS_POLL_MS, type Transaction } from './transaction';
import { TransactionStatus } from './TransactionStatus';

const TX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const STATUS = `GET /api/v1/transactions/${TX}`;

const pending: Transaction = {
  tx_id: TX,
  status: 'pending',
  status_url: `/api/v1/transactions/${TX}`,
  function: 'IssueCertificate',
  record_id: 'CERT-1',
  signer: 'david.okafor',
  block_number: null,
  validation_code: null,
};

function renderStatus() {
  const router = createMemoryRouter(
    [{ path: '/', element: <TransactionStatus txId={TX} initial={pending} label="Issuing CERT-1" /> }],
    { initialEntries: ['/'] },
  );
  return render(
    <AppProviders queryClient={createTestQueryClient()} env="test">
      <RouterProvider router={router} />
    </AppProviders>,
  );
}

async function liveFeed(): Promise<FakeEventSource> {
  await vi.waitFor(() => {
    expect(FakeEventSource.instances).toHaveLength(1);
  });
  const source = FakeEventSource.latest();
  act(() => {
    source.open();
  });
  return source;
}

describe('TransactionStatus', () => {
  beforeEach(() => {
    FakeEventSource.reset();
    signIn();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('turns from pending to committed, with its block, as soon as the feed says so', async () => {
    vi.stubGlobal('EventSource', fakeEventSource);
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [STATUS]: () => json(pending) });
    renderStatus();
    expect(await screen.findByText('Pending')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^a1b2c3d4e5f60718/ })).toHaveAttribute(
      'href',
      `/network?tx=${TX}`,
    );
    const source = await liveFeed();

    network.on(STATUS, () => json({ ...pending, status: 'committed', block_number: 12 }));
    act(() => {
      source.emit({
        id: 7,
        kind: 'transaction.committed',
        tx_id: TX,
        block_number: 12,
        payload: { tx_id: TX, status: 'committed', block_number: 12, validation_code: 'VALID' },
      });
    });
    // Sooner than the fallback poll would have asked.
    expect(await screen.findByText('Committed', {}, { timeout: STATUS_POLL_MS / 2 })).toBeInTheDocument();
    expect(screen.getByText(/Recorded in block 12/)).toBeInTheDocument();
  });

  it('says in words why the ledger refused it', async () => {
    vi.stubGlobal('EventSource', fakeEventSource);
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [STATUS]: () => json(pending) });
    renderStatus();
    const source = await liveFeed();
    network.on(STATUS, () =>
      json({ ...pending, status: 'invalid', block_number: 13, validation_code: 'MVCC_READ_CONFLICT' }),
    );
    act(() => {
      source.emit({
        id: 8,
        kind: 'transaction.invalid',
        tx_id: TX,
        block_number: 13,
        payload: { validation_code: 'MVCC_READ_CONFLICT' },
      });
    });
    expect(await screen.findByText('Invalid')).toBeInTheDocument();
    expect(
      screen.getByText('Another change to this record was committed first; try again.'),
    ).toBeInTheDocument();
  });

  it('asks the status URL while pending when there is no feed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [STATUS]: () => json(pending) });
    renderStatus();
    expect(await screen.findByText('Pending')).toBeInTheDocument();

    network.on(STATUS, () => json({ ...pending, status: 'committed', block_number: 5 }));
    await act(() => vi.advanceTimersByTimeAsync(STATUS_POLL_MS));
    expect(await screen.findByText(/Recorded in block 5/)).toBeInTheDocument();
    expect(network.calls(STATUS).length).toBeGreaterThanOrEqual(1);
  });
});
