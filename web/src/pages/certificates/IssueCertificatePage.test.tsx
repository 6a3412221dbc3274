import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadKeyPair } from '../../crypto/keyStore';
import { config, david, signIn } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const ISSUE = 'POST /api/v1/certificates';
const TX = 'ab'.repeat(32);
const accepted = {
  tx_id: TX,
  status: 'pending',
  status_url: `/api/v1/transactions/${TX}`,
  function: 'IssueCertificate',
  record_id: 'CERT-2026-TEST',
  signer: 'david.okafor',
  block_number: null,
  validation_code: null,
};
vi.mock('../../crypto/keyStore', () => ({ loadKeyPair: vi.fn() }));

/** The API's answer to a write of someone whose key lives in their browser. */
function toSign(stage: 'proposal' | 'transaction') {
  return {
    status: 'signature_required',
    stage,
    tx_id: TX,
    data: btoa(`${stage} envelope`),
    digest: btoa('digest'),
    message: btoa(`${stage} message`),
    signature_url: `/api/v1/transactions/${TX}/signatures`,
  };
}
const SIGN = `POST /api/v1/transactions/${TX}/signatures`;
const base = { 'GET /api/v1/config': () => json(config), 'GET /api/v1/me': () => json(david) };

async function fillIn() {
  await userEvent.type(screen.getByRole('textbox', { name: 'Scheme' }), 'EU-ORGANIC');
  await userEvent.type(screen.getByRole('textbox', { name: 'Scope' }), 'Organic tomatoes');
  await userEvent.type(screen.getByRole('textbox', { name: 'Identifier' }), 'GVFC');
  await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'Green Valley');
  await userEvent.type(screen.getByRole('textbox', { name: /Holder organization/ }), 'ProducerMSP');
}

describe('IssueCertificatePage', () => {
  beforeEach(() => {
    signIn();
  });

  it('says what is missing and sends nothing', async () => {
    const network = mockFetch(base);
    renderApp('/certificates/new');
    await userEvent.click(await screen.findByRole('button', { name: 'Issue certificate' }));
    expect(screen.getByText('Name the scheme, e.g. EU-ORGANIC.')).toBeInTheDocument();
    expect(screen.getByText('Say what the certificate covers.')).toBeInTheDocument();
    expect(screen.getByText('Give the subject’s name.')).toBeInTheDocument();
    expect(network.calls(ISSUE)).toHaveLength(0);
  });

  it('shows the API’s problem in words when the ledger refuses', async () => {
    mockFetch({ ...base, [ISSUE]: () => problem(409, 'certificate CERT-1 already exists', 'Conflict') });
    renderApp('/certificates/new');
    await screen.findByRole('button', { name: 'Issue certificate' });
    await fillIn();
    await userEvent.click(screen.getByRole('button', { name: 'Issue certificate' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The certificate was not issued')).toBeInTheDocument();
    expect(within(alert).getByText('certificate CERT-1 already exists')).toBeInTheDocument();
  });

  it('issues, then follows the transaction and links to the new certificate', async () => {
    const network = mockFetch({
      ...base,
      [ISSUE]: () => json(accepted, 202),
      [`GET /api/v1/transactions/${TX}`]: () => json(accepted),
    });
    renderApp('/certificates/new');
    const number = await screen.findByRole('textbox', { name: 'Certificate number' });
    await userEvent.clear(number);
    await userEvent.type(number, 'CERT-2026-TEST');
    await fillIn();
    await userEvent.click(screen.getByRole('button', { name: 'Issue certificate' }));

    expect(await screen.findByText('Pending')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open certificate CERT-2026-TEST' })).toHaveAttribute(
      'href',
      '/certificates/CERT-2026-TEST',
    );
    const sent = JSON.parse(network.calls(ISSUE)[0]?.body ?? '{}') as Record<string, unknown>;
    expect(sent).toMatchObject({
      id: 'CERT-2026-TEST',
      scheme: 'EU-ORGANIC',
      subject: { kind: 'organization', id: 'GVFC', name: 'Green Valley', msp_id: 'ProducerMSP' },
      documents: [],
    });
    expect(network.calls(ISSUE)[0]?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tells someone who is not a certifier that they cannot issue', async () => {
    mockFetch({ ...base, 'GET /api/v1/me': () => json({ ...david, roles: ['producer'] }) });
    renderApp('/certificates/new');
    expect(await screen.findByText('Certifiers only')).toBeInTheDocument();
  });

  it('signs in this browser when the key lives here, and says so next to the status', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    vi.mocked(loadKeyPair).mockResolvedValue(keys);
    const network = mockFetch({
      ...base,
      [ISSUE]: () => json(toSign('proposal'), 202),
      [SIGN]: (request) =>
        request.body?.includes('"stage":"proposal"') === true
          ? json(toSign('transaction'), 202)
          : json(accepted, 202),
      [`GET /api/v1/transactions/${TX}`]: () => json(accepted),
    });
    renderApp('/certificates/new');
    await screen.findByRole('button', { name: 'Issue certificate' });
    await fillIn();
    await userEvent.click(screen.getByRole('button', { name: 'Issue certificate' }));

    const status = await screen.findByRole('status', { name: /^Issuing/ });
    expect(within(status).getByText('Pending')).toBeInTheDocument();
    expect(within(status).getByText('Signed in this browser')).toBeInTheDocument();
    expect(loadKeyPair).toHaveBeenCalledWith('david.okafor');
    expect(network.calls(SIGN)).toHaveLength(2);
  });

  it('says the key is gone, with the one way to enroll again', async () => {
    vi.mocked(loadKeyPair).mockResolvedValue(null);
    const network = mockFetch({ ...base, [ISSUE]: () => json(toSign('proposal'), 202) });
    renderApp('/certificates/new');
    await screen.findByRole('button', { name: 'Issue certificate' });
    await fillIn();
    await userEvent.click(screen.getByRole('button', { name: 'Issue certificate' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The certificate was not issued')).toBeInTheDocument();
    expect(within(alert).getByText('Your signing key is not in this browser any more.')).toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: 'Enroll again in your profile' })).toHaveAttribute(
      'href',
      '/profile',
    );
    expect(network.calls(SIGN)).toHaveLength(0);
  });
});
