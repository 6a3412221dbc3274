import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOT, preview, recallView } from '../../components/Recalls/fixtures';
import { sam, tomas } from '../../components/Shipments/fixtures';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const PREVIEW = 'GET /api/v1/recalls/preview';
const RECORD = 'POST /api/v1/recalls';
const TX = 'f'.repeat(64);
const pending = { tx_id: TX, status: 'pending', status_url: `/api/v1/transactions/${TX}` };
const OTHER = 'https://id.gs1.org/01/08437001001033/10/LOT-STR-2026-003';

describe('NewRecallPage', () => {
  beforeEach(() => {
    signIn('Tomás Herrera', 'tomas.herrera');
  });

  it('previews what the lots reach, records the recall, then opens it once committed', async () => {
    const network = mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(tomas),
      [PREVIEW]: () => json(preview),
      [RECORD]: () => json(pending, 202),
      [`GET /api/v1/transactions/${TX}`]: () => json({ ...pending, status: 'committed', block_number: 21 }),
      'GET /api/v1/recalls/RCL-TEST-1': () => json(recallView('RCL-TEST-1')),
    });
    const { router } = renderApp(`/recalls/new?lot=${encodeURIComponent(LOT)}`);

    const reach = await screen.findByRole('status', { name: 'Recall reach' });
    expect(reach).toHaveTextContent('4 organizations to notify');
    expect(network.calls(PREVIEW)[0]?.url.searchParams.getAll('lot')).toEqual([LOT]);
    expect(
      screen.getByText(/CarrierMSP, CertifierMSP, ProducerMSP, RetailerMSP will be notified/),
    ).toBeInTheDocument();

    await userEvent.type(screen.getByRole('combobox', { name: 'Lots' }), `${OTHER}{Enter}`);
    expect(network.calls(PREVIEW).at(-1)?.url.searchParams.getAll('lot')).toEqual([LOT, OTHER]);

    const number = screen.getByRole('textbox', { name: 'Recall number' });
    await userEvent.clear(number);
    await userEvent.type(number, 'RCL-TEST-1');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Reason' }),
      'Listeria found in a retained sample',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Record the recall' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'RCL-TEST-1' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/recalls/RCL-TEST-1');
    const [call] = network.calls(RECORD);
    expect(JSON.parse(call?.body ?? '{}')).toEqual({
      id: 'RCL-TEST-1',
      lots: [LOT, OTHER],
      reason: 'Listeria found in a retained sample',
    });
    expect(call?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks for a lot and a reason before anything is sent', async () => {
    const network = mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(tomas),
      [PREVIEW]: () => json(preview),
    });
    renderApp(`/recalls/new?lot=${encodeURIComponent(LOT)}`);
    await screen.findByRole('status', { name: 'Recall reach' });
    await userEvent.click(screen.getByRole('button', { name: 'Record the recall' }));
    expect(await screen.findByText('Say why the lots are recalled')).toBeInTheDocument();
    expect(network.calls(RECORD)).toHaveLength(0);

    await userEvent.type(screen.getByRole('combobox', { name: 'Lots' }), '{Backspace}');
    expect(screen.getByText('Add a lot to see what the recall reaches.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Record the recall' })).toBeDisabled();
  });

  it('is only for the roles that may recall', async () => {
    signIn('Sam Carter', 'sam.carter');
    mockFetch({ 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(sam) });
    renderApp('/recalls/new');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only producers, certifiers and administrators can record a recall.',
    );
  });
});
