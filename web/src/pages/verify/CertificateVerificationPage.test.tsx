import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CertificateVerification } from '../../components/Verify/verifyApi';
import { config } from '../../test/fixtures';
import { json, mockFetch, problem } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const ROUTE = 'GET /api/v1/verify/certificates/CERT-1';

const revoked: CertificateVerification = {
  certificate_id: 'CERT-1',
  at: '2025-03-01T10:00:00Z',
  status: 'REVOKED',
  valid: false,
  scheme: 'EU-ORGANIC',
  subject: { kind: 'farm', id: 'F-1', name: 'Herrera Farms', msp_id: 'ProducerMSP' },
  scope: 'Coffee beans',
  valid_from: '2025-01-01T00:00:00Z',
  valid_until: '2026-01-01T00:00:00Z',
  issued_at: '2025-01-01T00:00:00Z',
  current_status: 'REVOKED',
  status_log: [
    { status: 'REVOKED', reason: 'pesticide residue found', at: '2025-02-01T00:00:00Z', tx_id: 'tx2' },
  ],
  issuer: {
    msp_id: 'CertifierMSP',
    name: 'Veritas Organic Certification',
    accredited_at_issue: true,
    accredited_at: true,
    accreditation_at: null,
  },
  documents: [],
  proof: {
    tx_id: 'tx1',
    block_number: 7,
    validation_code: 'VALID',
    timestamp: '2025-01-01T00:00:00Z',
    creator_msp_id: 'CertifierMSP',
    endorsers: ['CertifierMSP'],
    function: 'IssueCertificate',
  },
};

describe('CertificateVerificationPage', () => {
  it('says prominently that a revoked certificate is revoked, and why', async () => {
    mockFetch({ 'GET /api/v1/config': () => json(config), [ROUTE]: () => json(revoked) });
    renderApp('/verify/certificates/CERT-1');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('This certificate is revoked')).toBeInTheDocument();
    expect(alert).toHaveTextContent('pesticide residue found');
    expect(screen.getByRole('region', { name: 'Issuer' })).toHaveTextContent('Veritas Organic Certification');
  });

  it('asks for the status at the chosen date', async () => {
    const network = mockFetch({ 'GET /api/v1/config': () => json(config), [ROUTE]: () => json(revoked) });
    renderApp('/verify/certificates/CERT-1?at=2025-03-01T10:00:00.000Z');
    await screen.findByText('This certificate is revoked');
    expect(network.calls(ROUTE)[0]?.url.searchParams.get('at')).toBe('2025-03-01T10:00:00.000Z');
  });

  it('says an unknown id is unknown', async () => {
    mockFetch({
      'GET /api/v1/config': () => json(config),
      [ROUTE]: () => problem(404, 'no such certificate'),
    });
    renderApp('/verify/certificates/CERT-1');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Unknown certificate')).toBeInTheDocument();
  });

  it('says how long to wait when rate limited', async () => {
    mockFetch({
      'GET /api/v1/config': () => json(config),
      [ROUTE]: () => new Response('{}', { status: 429, headers: { 'Retry-After': '17' } }),
    });
    renderApp('/verify/certificates/CERT-1');
    expect(await screen.findByText('Too many checks, try again in 17 s.')).toBeInTheDocument();
  });
});
