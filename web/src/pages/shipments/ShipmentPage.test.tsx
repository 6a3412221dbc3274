import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sam, shipmentDetail } from '../../components/Shipments/fixtures';
import { loadKeyPair } from '../../crypto/keyStore';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const ONE = 'GET /api/v1/shipments/SHP-1';
const REJECT = 'POST /api/v1/shipments/SHP-1/transfer/reject';
const ACCEPT = 'POST /api/v1/shipments/SHP-1/transfer/accept';
vi.mock('../../crypto/keyStore', () => ({ loadKeyPair: vi.fn() }));
const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(sam) };
const pending = { tx_id: 'c'.repeat(64), status: 'pending', status_url: '/api/v1/transactions/c' };

const offered = shipmentDetail('SHP-1', {
  status: 'TRANSFER_PROPOSED',
  pending_transfer_to_msp_id: 'CarrierMSP',
  custody: [
    { msp_id: 'ProducerMSP', since: '2026-03-02T08:00:00Z', tx_id: 'a'.repeat(64) },
    { msp_id: 'CarrierMSP', since: '2026-03-02T10:00:00Z', tx_id: 'd'.repeat(64) },
  ],
});

describe('ShipmentPage', () => {
  beforeEach(() => {
    signIn('Sam Carter', 'sam.carter');
  });

  it('shows who held the shipment from when to when, and only the recipient’s actions', async () => {
    mockFetch({ ...base, [ONE]: () => json(offered) });
    renderApp('/shipments/SHP-1');

    const custody = await screen.findByLabelText('Custody chain');
    expect(within(custody).getByText('ProducerMSP')).toBeInTheDocument();
    expect(within(custody).getByText('current custodian')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Accept the transfer' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject the transfer' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record a checkpoint' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Confirm delivery' })).not.toBeInTheDocument();
  });

  it('rejects with the reason typed in, then shows the write’s transaction', async () => {
    const network = mockFetch({
      ...base,
      [ONE]: () => json(offered),
      [REJECT]: () => json(pending, 202),
      [`GET /api/v1/transactions/${pending.tx_id}`]: () => json({ ...pending, block_number: null }),
    });
    renderApp('/shipments/SHP-1');

    await userEvent.click(await screen.findByRole('button', { name: 'Reject the transfer' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'Trailer too warm');
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    expect(await screen.findByText('Rejecting the transfer')).toBeInTheDocument();
    const [call] = network.calls(REJECT);
    expect(JSON.parse(call?.body ?? '{}')).toEqual({ reason: 'Trailer too warm' });
    expect(call?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts with the key in this browser, and says so when Provena refuses its signature', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    vi.mocked(loadKeyPair).mockResolvedValue(keys);
    const tx = pending.tx_id;
    const toSign = {
      status: 'signature_required',
      stage: 'proposal',
      tx_id: tx,
      data: 'AA==',
      digest: 'AA==',
      message: 'AA==',
      signature_url: `/api/v1/transactions/${tx}/signatures`,
    };
    const network = mockFetch({
      ...base,
      [ONE]: () => json(offered),
      [ACCEPT]: () => json(toSign, 202),
      [`POST /api/v1/transactions/${tx}/signatures`]: () =>
        problem(400, 'the signature does not verify', 'Bad Request'),
    });
    renderApp('/shipments/SHP-1');

    await userEvent.click(await screen.findByRole('button', { name: 'Accept the transfer' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not accept the transfer')).toBeInTheDocument();
    expect(
      within(alert).getByText('Provena refused the signature made in this browser.'),
    ).toBeInTheDocument();
    expect(within(alert).queryByText(/does not verify/)).not.toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: 'Enroll again in your profile' })).toBeInTheDocument();
    expect(network.calls(`POST /api/v1/transactions/${tx}/signatures`)).toHaveLength(1);
  });

  it('links to the trace, and shows the shipment’s EPCIS events as a query document', async () => {
    const document = {
      type: 'EPCISQueryDocument',
      epcisBody: {
        queryResults: { resultsBody: { eventList: [{ type: 'ObjectEvent' }, { type: 'AggregationEvent' }] } },
      },
    };
    const network = mockFetch({
      ...base,
      [ONE]: () => json(shipmentDetail('SHP-1')),
      'GET /epcis/events': () => json(document),
    });
    renderApp('/shipments/SHP-1');

    const main = await screen.findByRole('main');
    expect(await within(main).findByRole('link', { name: 'Trace' })).toHaveAttribute(
      'href',
      '/trace?id=SHP-1',
    );
    await userEvent.click(screen.getByRole('button', { name: 'EPCIS events' }));
    const dialog = await screen.findByRole('dialog', { name: 'EPCIS events of SHP-1' });
    expect(await within(dialog).findByText('JSON-LD · 2 events')).toBeInTheDocument();
    expect(within(dialog).getByRole('region', { name: 'EPCIS JSON-LD' })).toHaveTextContent(
      '"EPCISQueryDocument"',
    );
    const [call] = network.calls('GET /epcis/events');
    expect(call?.url.searchParams.get('EQ_bizTransaction_desadv')).toBe('urn:provena:shipment:SHP-1');
    expect(call?.url.searchParams.get('perPage')).toBe('100');
    expect(call?.headers.get('gs1-epc-format')).toBe('Always_GS1_Digital_Link');
  });

  it('says first when a recall reached the shipment', async () => {
    mockFetch({ ...base, [ONE]: () => json(shipmentDetail('SHP-1', { recalls: ['RCL-1'] })) });
    renderApp('/shipments/SHP-1');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Recalled')).toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: 'RCL-1' })).toHaveAttribute('href', '/recalls/RCL-1');
  });

  it('says in words how many temperature readings fall outside the cold chain', async () => {
    const reading = (value: string) => ({ type: 'gs1:Temperature', value, uom: 'CEL' });
    const checkpoint = {
      seq: 0,
      event_time: '2026-03-02T12:00:00Z',
      event_time_zone_offset: '+00:00',
      biz_step: 'transporting',
      disposition: 'in_transit',
      read_point: 'urn:epc:id:sgln:7350012.00001.REEFER-17',
      biz_location: null,
      sensor_readings: [reading('4.1'), reading('8.4')],
      documents: [],
      event_hash: 'e'.repeat(64),
      recorded_by_msp_id: 'CarrierMSP',
      recorded_at: '2026-03-02T12:00:00Z',
      tx_id: 'b'.repeat(64),
    };
    mockFetch({ ...base, [ONE]: () => json(shipmentDetail('SHP-1', { checkpoints: [checkpoint] })) });
    renderApp('/shipments/SHP-1');

    expect(await screen.findByRole('status', { name: 'Temperature summary' })).toHaveTextContent(
      '2 readings; 1 outside 2–8 °C',
    );
    expect(screen.getByText('8.4 °C · outside')).toBeInTheDocument();
  });
});
