import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recallView } from '../../components/Recalls/fixtures';
import { sam, tomas } from '../../components/Shipments/fixtures';
import { FakeEventSource, fakeEventSource } from '../../live/fakeEventSource';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const LIST = 'GET /api/v1/recalls';

describe('RecallsPage', () => {
  beforeEach(() => {
    FakeEventSource.reset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lists the recalls, and offers a new one to those who may recall', async () => {
    signIn('Tomás Herrera', 'tomas.herrera');
    mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(tomas),
      [LIST]: () => json({ data: [recallView('RCL-1')] }),
    });
    renderApp('/recalls');
    const table = await screen.findByRole('table', { name: 'Recalls' });
    const [, row] = within(table).getAllByRole('row');
    expect(within(row ?? table).getByRole('link', { name: 'RCL-1' })).toHaveAttribute(
      'href',
      '/recalls/RCL-1',
    );
    expect(row).toHaveTextContent('Listeria found in a retained sample');
    expect(row).toHaveTextContent('1 lot · 1 shipment');
    expect(await screen.findByRole('link', { name: 'New recall' })).toHaveAttribute('href', '/recalls/new');
  });

  it('tells a holder live when a recall concerns them, and refreshes the list', async () => {
    vi.stubGlobal('EventSource', fakeEventSource);
    signIn('Sam Carter', 'sam.carter');
    const network = mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(sam),
      [LIST]: () => json({ data: [] }),
      'GET /api/v1/recalls/RCL-2': () => json(recallView('RCL-2')),
    });
    const { router } = renderApp('/recalls');
    expect(await screen.findByText('No recalls')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New recall' })).not.toBeInTheDocument();
    await vi.waitFor(() => {
      expect(FakeEventSource.instances).toHaveLength(1);
    });

    network.on(LIST, () => json({ data: [recallView('RCL-2')] }));
    act(() => {
      const source = FakeEventSource.latest();
      source.open();
      source.emit({
        id: 31,
        kind: 'recall.recorded',
        payload: { id: 'RCL-2', reason: 'Listeria found in a retained sample', lots: [] },
      });
    });

    expect(await screen.findByText('Recall RCL-2 concerns your organization')).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Recalls' })).toHaveTextContent('RCL-2');
    await userEvent.click(screen.getByRole('button', { name: 'Open the recall' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'RCL-2' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/recalls/RCL-2');
  });
});
