import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { shipmentSummary, tomas } from '../../components/Shipments/fixtures';
import { config, david, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const LIST = 'GET /api/v1/shipments';
const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(tomas) };

describe('ShipmentsPage', () => {
  beforeEach(() => {
    signIn('Tomás Herrera', 'tomas.herrera');
  });

  it('lists shipments, each linking to its detail, and loads the next page by its cursor', async () => {
    const network = mockFetch({
      ...base,
      [LIST]: (request) =>
        request.url.searchParams.get('cursor') === 'page-2'
          ? json({ data: [shipmentSummary('SHP-3')], next_cursor: null })
          : json({
              data: [
                shipmentSummary('SHP-1'),
                shipmentSummary('SHP-2', {
                  status: 'TRANSFER_PROPOSED',
                  pending_transfer_to_msp_id: 'CarrierMSP',
                }),
              ],
              next_cursor: 'page-2',
            }),
    });
    renderApp('/shipments');

    const table = await screen.findByRole('table', { name: 'Shipments' });
    expect(within(table).getByRole('link', { name: 'SHP-1' })).toHaveAttribute('href', '/shipments/SHP-1');
    expect(within(table).getByText('offered to CarrierMSP')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByRole('link', { name: 'SHP-3' })).toBeInTheDocument();
    expect(network.calls(LIST).map((call) => call.url.searchParams.get('cursor'))).toEqual([null, 'page-2']);
    expect(screen.getByRole('link', { name: 'New shipment' })).toHaveAttribute('href', '/shipments/new');
  });

  it('sends the filters of the URL and applies the holder and destination typed in', async () => {
    const network = mockFetch({ ...base, [LIST]: () => json({ data: [], next_cursor: null }) });
    renderApp('/shipments?status=IN_TRANSIT&q=SHP');

    expect(await screen.findByText('No shipment matches these filters')).toBeInTheDocument();
    const query = network.calls(LIST)[0]?.url.searchParams;
    expect(query?.get('status')).toBe('IN_TRANSIT');
    expect(query?.get('q')).toBe('SHP');

    await userEvent.type(screen.getByRole('textbox', { name: 'Holder (MSP)' }), 'CarrierMSP');
    await userEvent.type(screen.getByRole('textbox', { name: 'Destination (MSP)' }), 'RetailerMSP');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('No shipment matches these filters');
    const next = network.calls(LIST).at(-1)?.url.searchParams;
    expect(next?.get('holder')).toBe('CarrierMSP');
    expect(next?.get('destination')).toBe('RetailerMSP');
  });

  it('offers no new shipment to someone who is not a producer', async () => {
    signIn();
    mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(david),
      [LIST]: () => json({ data: [shipmentSummary('SHP-1')], next_cursor: null }),
    });
    renderApp('/shipments');
    await screen.findByRole('table', { name: 'Shipments' });
    expect(screen.queryByRole('link', { name: 'New shipment' })).not.toBeInTheDocument();
  });
});
