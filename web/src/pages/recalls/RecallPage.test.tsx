import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { saveFile } from '../../components/Download/saveFile';
import { recallView } from '../../components/Recalls/fixtures';
import { tomas } from '../../components/Shipments/fixtures';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

vi.mock('../../components/Download/saveFile', () => ({ saveFile: vi.fn() }));

const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(tomas) };

describe('RecallPage', () => {
  beforeEach(() => {
    signIn('Tomás Herrera', 'tomas.herrera');
    vi.mocked(saveFile).mockReset();
  });

  it('shows the recall and downloads its CSV and EPCIS exports with the person’s token', async () => {
    const network = mockFetch({
      ...base,
      'GET /api/v1/recalls/RCL-1': () => json(recallView('RCL-1')),
      'GET /api/v1/recalls/RCL-1/export.csv': () =>
        new Response('id,kind\nurn:provena:shipment:SHP-2026-0202,logistic_unit\n', {
          headers: { 'Content-Type': 'text/csv' },
        }),
      'GET /api/v1/recalls/RCL-1/export.jsonld': () => problem(503, 'the ledger is busy', 'Unavailable'),
    });
    renderApp('/recalls/RCL-1');

    expect(await screen.findByRole('heading', { level: 1, name: 'RCL-1' })).toBeInTheDocument();
    const record = screen.getByRole('region', { name: 'Recall' });
    expect(within(record).getByText('Listeria found in a retained sample')).toBeInTheDocument();
    expect(within(record).getByText('ProducerMSP')).toBeInTheDocument();

    await userEvent.click(within(record).getByRole('button', { name: 'Download CSV' }));
    await vi.waitFor(() => {
      expect(saveFile).toHaveBeenCalledTimes(1);
    });
    const [[file, name] = []] = vi.mocked(saveFile).mock.calls;
    expect(name).toBe('RCL-1.csv');
    expect(await (file ?? new Blob()).text()).toContain('SHP-2026-0202');
    expect(network.calls('GET /api/v1/recalls/RCL-1/export.csv')[0]?.headers.get('authorization')).toBe(
      'Bearer access-token-1',
    );

    await userEvent.click(within(record).getByRole('button', { name: 'Download EPCIS document' }));
    expect(await within(record).findByRole('alert')).toHaveTextContent('the ledger is busy');
    expect(saveFile).toHaveBeenCalledTimes(1);
  });
});
