import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { saveFile } from '../../components/Download/saveFile';
import { tomas } from '../../components/Shipments/fixtures';
import { hash, LOT_A, LOT_B, PALLET, proof, RAW, trace, UNIT } from '../../components/Trace/fixtures';
import { config, signIn } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

vi.mock('../../components/Download/saveFile', () => ({ saveFile: vi.fn() }));

const TRACE = 'GET /api/v1/trace';
const proofRoute = (digit: string) => `GET /api/v1/trace/proof/${encodeURIComponent(hash(digit))}`;
const eventRoute = (digit: string) => `GET /epcis/events/${encodeURIComponent(hash(digit))}`;
const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(tomas) };

/** A paragraph whose whole text is `text`, however its pieces are wrapped. */
const line = (text: string) => (_: string, element: Element | null) =>
  element?.tagName === 'P' && element.textContent === text;

function node(id: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-node="${id}"]`);
  if (found === null) throw new Error(`no card for ${id}`);
  return found;
}

describe('TracePage', () => {
  beforeEach(() => {
    signIn('Tomás Herrera', 'tomas.herrera');
  });

  it('draws the trace in columns and, for a chosen node, the path from the start with each step’s proof', async () => {
    const network = mockFetch({
      ...base,
      [TRACE]: () => json(trace),
      [proofRoute('1')]: () => json(proof(hash('1'))),
      [proofRoute('2')]: () => json(proof(hash('2'), { hash_verified: false })),
    });
    renderApp('/trace?id=SHP-1');

    expect(await screen.findByRole('status', { name: 'Trace summary' })).toHaveTextContent(
      'Shipment SHP-1: 3 upstream, 1 downstream, joined by 3 events.',
    );
    const [call] = network.calls(TRACE);
    expect(call?.url.searchParams.get('id')).toBe('SHP-1');
    expect(call?.url.searchParams.get('direction')).toBe('both');
    const graph = screen.getByRole('group', { name: 'Trace graph' });
    expect(within(graph).getByText('2 levels upstream')).toBeInTheDocument();
    expect(within(graph).getAllByText('packed into')).toHaveLength(3);
    expect(within(graph).getByText('transformed into')).toBeInTheDocument();

    await userEvent.click(
      within(graph).getByRole('button', { name: 'Lot GTIN 08437001001002 lot RAW-9 (2 levels upstream)' }),
    );

    expect(node(RAW)).toHaveAttribute('aria-pressed', 'true');
    expect(node(LOT_A)).toHaveAttribute('data-emphasis', 'path');
    expect(node(UNIT)).toHaveAttribute('data-emphasis', 'path');
    expect(node(LOT_B)).toHaveAttribute('data-emphasis', 'dimmed');
    expect(node(PALLET)).toHaveAttribute('data-emphasis', 'dimmed');
    const strong = [...graph.querySelectorAll('path[data-emphasis="path"]')].map((line) =>
      line.getAttribute('data-link'),
    );
    expect(strong).toEqual([`${LOT_A} ${UNIT} packed_into`, `${RAW} ${LOT_A} transformed_into`]);

    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(
      within(details).getByRole('heading', { name: 'GTIN 08437001001002 lot RAW-9' }),
    ).toBeInTheDocument();
    const steps = within(details).getAllByRole('listitem');
    expect(steps.map((step) => step.getAttribute('aria-label'))).toEqual([
      'GTIN 08437001001019 lot LOT-TOM-2026-014 packed into Shipment SHP-1',
      'GTIN 08437001001002 lot RAW-9 transformed into GTIN 08437001001019 lot LOT-TOM-2026-014',
    ]);
    expect(await within(steps[0] ?? details).findByText('hash verified')).toBeInTheDocument();
    expect(await within(steps[1] ?? details).findByText('hash does not match the event')).toBeInTheDocument();
    expect(within(details).getByRole('link', { name: 'Trace from here' })).toHaveAttribute(
      'href',
      `/trace?id=${encodeURIComponent(RAW)}`,
    );
    expect(within(details).getByRole('link', { name: 'Recall this lot' })).toHaveAttribute(
      'href',
      `/recalls/new?lot=${encodeURIComponent(RAW)}`,
    );
  });

  it('shows a step’s EPCIS event and saves it as a file', async () => {
    const event = {
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
      type: 'AggregationEvent',
    };
    const network = mockFetch({
      ...base,
      [TRACE]: () => json(trace),
      [proofRoute('1')]: () => json(proof(hash('1'))),
      [eventRoute('1')]: () => json(event),
    });
    renderApp('/trace?id=SHP-1');

    await userEvent.click(await screen.findByRole('button', { name: /Shipment SHP-1/ }));
    await userEvent.click(
      await screen.findByRole('button', { name: /GTIN 08437001001019 lot LOT-TOM-2026-014/ }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'EPCIS event' }));

    const dialog = await screen.findByRole('dialog', { name: 'EPCIS event 111111111111…' });
    expect(await within(dialog).findByText(/"type": "AggregationEvent"/)).toBeInTheDocument();
    expect(within(dialog).getByText('JSON-LD · 1 event')).toBeInTheDocument();
    const [call] = network.calls(eventRoute('1'));
    expect(call?.headers.get('authorization')).toBe('Bearer access-token-1');
    expect(call?.headers.get('gs1-epc-format')).toBe('Always_GS1_Digital_Link');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Download' }));
    const [[file, name] = []] = vi.mocked(saveFile).mock.calls;
    expect(name).toBe('epcis-event-111111111111.jsonld');
    expect(JSON.parse(await (file ?? new Blob()).text())).toEqual(event);
  });

  it('says there is nothing to trace when the API knows nothing by that identifier', async () => {
    mockFetch({ ...base, [TRACE]: () => problem(404, 'nothing to trace from LOT-X', 'Not Found') });
    renderApp('/trace?id=LOT-X');
    expect(await screen.findByText('Nothing to trace from LOT-X')).toBeInTheDocument();
  });

  it('says when nothing is joined to the start', async () => {
    const alone = { ...trace, nodes: trace.nodes.slice(0, 1), edges: [] };
    mockFetch({ ...base, [TRACE]: () => json(alone) });
    renderApp('/trace?id=SHP-1');
    expect(await screen.findByText('Nothing joined to it')).toBeInTheDocument();
    expect(screen.getByText(/packs or transforms Shipment SHP-1 into anything/)).toBeInTheDocument();
  });

  it('warns when the trace was cut short, and lists it by depth on request', async () => {
    mockFetch({ ...base, [TRACE]: () => json({ ...trace, truncated: true }) });
    renderApp('/trace?id=SHP-1');
    expect(await screen.findByText('The trace goes further')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('radio', { name: 'List' }));
    const list = screen.getByRole('group', { name: 'Trace by depth' });
    const upstream = within(list).getByRole('region', { name: '1 level upstream' });
    expect(within(upstream).getAllByRole('button')).toHaveLength(2);
    expect(within(upstream).getAllByText(line('packed into Shipment SHP-1'))).toHaveLength(2);
    const downstream = within(list).getByRole('region', { name: '1 level downstream' });
    expect(within(downstream).getByText(line('contains Shipment SHP-1'))).toBeInTheDocument();
  });

  it('traces what is typed in the search box', async () => {
    const network = mockFetch({ ...base, [TRACE]: () => json(trace) });
    const { router } = renderApp('/trace');
    await userEvent.type(await screen.findByRole('textbox', { name: 'Identifier' }), ' SHP-1 ');
    await userEvent.click(screen.getByRole('button', { name: 'Trace' }));
    expect(await screen.findByRole('status', { name: 'Trace summary' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?id=SHP-1');
    expect(network.calls(TRACE)).toHaveLength(1);
  });
});
