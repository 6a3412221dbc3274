import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { certificateSummary } from '../../components/Certificates/fixtures';
import { config, david, signIn } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const LIST = 'GET /api/v1/certificates';
const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(david) };

describe('CertificatesPage', () => {
  beforeEach(() => {
    signIn();
  });

  it('lists certificates, each linking to its detail, and loads the next page by its cursor', async () => {
    const network = mockFetch({
      ...base,
      [LIST]: (request) =>
        request.url.searchParams.get('cursor') === 'page-2'
          ? json({ data: [certificateSummary('CERT-3')], next_cursor: null })
          : json({
              data: [certificateSummary('CERT-1'), certificateSummary('CERT-2')],
              next_cursor: 'page-2',
            }),
    });
    renderApp('/certificates');

    const table = await screen.findByRole('table', { name: 'Certificates' });
    expect(within(table).getByRole('link', { name: 'CERT-1' })).toHaveAttribute(
      'href',
      '/certificates/CERT-1',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByRole('link', { name: 'CERT-3' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(network.calls(LIST).map((call) => call.url.searchParams.get('cursor'))).toEqual([null, 'page-2']);
  });

  it('sends the filters and search of the URL, and says when nothing matches', async () => {
    const network = mockFetch({ ...base, [LIST]: () => json({ data: [], next_cursor: null }) });
    renderApp('/certificates?status=SUSPENDED&scheme=FAIRTRADE&q=tomato');

    expect(await screen.findByText('No certificate matches these filters')).toBeInTheDocument();
    const query = network.calls(LIST)[0]?.url.searchParams;
    expect(query?.get('status')).toBe('SUSPENDED');
    expect(query?.get('scheme')).toBe('FAIRTRADE');
    expect(query?.get('q')).toBe('tomato');

    await userEvent.clear(screen.getByRole('textbox', { name: 'Search' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Issuer (MSP)' }), 'CertifierMSP');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('No certificate matches these filters');
    const next = network.calls(LIST).at(-1)?.url.searchParams;
    expect(next?.get('issuer')).toBe('CertifierMSP');
    expect(next?.has('q')).toBe(false);
  });

  it('shows the API’s problem when the list cannot be read', async () => {
    mockFetch({ ...base, [LIST]: () => problem(400, 'the cursor is not one this API gave', 'Bad Request') });
    renderApp('/certificates');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load the certificates')).toBeInTheDocument();
    expect(within(alert).getByText('the cursor is not one this API gave')).toBeInTheDocument();
  });
});
