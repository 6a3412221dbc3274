import { screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderWithMantine } from '../../test/renderWithMantine';
import { LOT, preview, recallView } from './fixtures';
import { PreviewShipments, RecalledShipments, RecallReachView } from './RecallReachView';

function show(ui: ReactElement) {
  const router = createMemoryRouter([{ path: '/', element: ui }]);
  return renderWithMantine(<RouterProvider router={router} />);
}

describe('RecallReachView', () => {
  it('shows what a recall would reach: lots, units, shipments with holders, organizations, certificates', () => {
    show(<RecallReachView reach={preview} shipments={<PreviewShipments shipments={preview.shipments} />} />);

    expect(screen.getByRole('status', { name: 'Recall reach' })).toHaveTextContent(
      '1 lot recalled, reaching 1 lot or unit downstream in 1 shipment; 4 organizations to notify.',
    );
    const lots = screen.getByRole('list', { name: 'Recalled lots' });
    expect(
      within(lots).getByRole('link', { name: 'GTIN 08437001001019 lot LOT-TOM-2026-014' }),
    ).toHaveAttribute('href', `/trace?id=${encodeURIComponent(LOT)}`);
    const affected = within(screen.getByRole('list', { name: 'Affected lots and units' })).getAllByRole(
      'listitem',
    );
    expect(affected.map((item) => item.textContent)).toEqual([
      'LotGTIN 08437001001019 lot LOT-TOM-2026-014recalled',
      'Logistic unitShipment SHP-2026-02021 level downstream · held by CarrierMSP',
    ]);
    const table = screen.getByRole('table', { name: 'Affected shipments' });
    const [, row] = within(table).getAllByRole('row');
    expect(
      within(row ?? table)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['SHP-2026-0202', 'In transit', 'CarrierMSP', 'ProducerMSP', 'RetailerMSP']);
    expect(
      within(screen.getByRole('list', { name: 'Organizations to notify' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['CarrierMSP', 'CertifierMSP', 'ProducerMSP', 'RetailerMSP']);
    expect(screen.getByRole('link', { name: 'VOC-EUORG-2026-0101' })).toHaveAttribute(
      'href',
      '/certificates/VOC-EUORG-2026-0101',
    );
  });

  it('shows a recorded recall’s shipments with who held each when it was recorded', () => {
    const recall = recallView('RCL-1');
    show(<RecallReachView reach={recall} shipments={<RecalledShipments shipments={recall.shipments} />} />);
    expect(screen.getByRole('list', { name: 'Affected shipments' })).toHaveTextContent(
      'SHP-2026-0202 · held by CarrierMSP when recalled',
    );
  });

  it('says so when the lots reach nothing', () => {
    const empty = { lots: [LOT], affected: [], shipments: [], organizations: [], certificates: [] };
    show(<RecallReachView reach={empty} shipments={<PreviewShipments shipments={[]} />} />);
    expect(screen.getByText('Nothing downstream of these lots.')).toBeInTheDocument();
    expect(screen.getByText('No shipment carries these lots.')).toBeInTheDocument();
    expect(screen.getByText('No certificate covers these lots.')).toBeInTheDocument();
  });
});
