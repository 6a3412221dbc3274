import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { sam, shipmentSummary } from '../../components/Shipments/fixtures';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const offered = shipmentSummary('SHP-2', {
  status: 'TRANSFER_PROPOSED',
  pending_transfer_to_msp_id: 'CarrierMSP',
});
const elsewhere = shipmentSummary('SHP-3', {
  status: 'TRANSFER_PROPOSED',
  pending_transfer_to_msp_id: 'RetailerMSP',
});
const held = shipmentSummary('SHP-1', { status: 'IN_TRANSIT', custodian_msp_id: 'CarrierMSP' });

describe('DashboardPage', () => {
  beforeEach(() => {
    signIn('Sam Carter', 'sam.carter');
    mockFetch({
      'GET /api/v1/config': () => json(config),
      'GET /api/v1/me': () => json(sam),
      'GET /api/v1/shipments': (request) => {
        // As the API filters: by the organization a transfer is offered to, or by holder.
        const offeredTo = request.url.searchParams.get('offered_to');
        const data =
          offeredTo === null
            ? [held]
            : [offered, elsewhere].filter((s) => s.pending_transfer_to_msp_id === offeredTo);
        return json({ data, next_cursor: null });
      },
      'GET /api/v1/certificates': () => json({ data: [], next_cursor: null }),
      'GET /api/v1/network': () => json({ height: 42, organizations: [] }),
    });
  });

  it('counts only the transfers offered to the person’s organization', async () => {
    renderApp('/');
    const card = await screen.findByRole('region', { name: 'Transfers offered to you' });
    expect(await within(card).findByLabelText('Transfers offered to you: 1')).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'SHP-2' })).toHaveAttribute('href', '/shipments/SHP-2');
    expect(within(card).queryByRole('link', { name: 'SHP-3' })).not.toBeInTheDocument();
    expect(await screen.findByText('42')).toBeInTheDocument();
  });

  it('keeps its counts apart from the list of the same filter, which then still pages', async () => {
    const { router } = renderApp('/');
    await screen.findByLabelText('Shipments you hold: 1');
    await router.navigate('/shipments?holder=CarrierMSP');
    const table = await screen.findByRole('table', { name: 'Shipments' });
    expect(within(table).getByRole('link', { name: 'SHP-1' })).toBeInTheDocument();
  });
});
