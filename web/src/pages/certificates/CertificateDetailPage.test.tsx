import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { certificateDetail } from '../../components/Certificates/fixtures';
import { config, david, signIn } from '../../test/fixtures';
import { json, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';

const ONE = 'GET /api/v1/certificates/CERT-1';
const SUSPEND = 'POST /api/v1/certificates/CERT-1/suspend';
const TX = 'cd'.repeat(32);
const accepted = {
  tx_id: TX,
  status: 'pending',
  status_url: `/api/v1/transactions/${TX}`,
  function: 'SuspendCertificate',
  record_id: 'CERT-1',
  signer: 'david.okafor',
  block_number: null,
  validation_code: null,
};
const base = {
  'GET /api/v1/config': () => json(config),
  'GET /api/v1/me': () => json(david),
  [ONE]: () => json(certificateDetail('CERT-1')),
  [`GET /api/v1/transactions/${TX}`]: () => json(accepted),
};

describe('CertificateDetailPage', () => {
  beforeEach(() => {
    signIn();
  });

  it('shows the documents, the ledger proof and the verification link', async () => {
    mockFetch(base);
    renderApp('/certificates/CERT-1');
    expect(await screen.findByRole('heading', { level: 1, name: 'CERT-1' })).toBeInTheDocument();
    const document = screen.getByRole('listitem', { name: 'audit-report.pdf' });
    expect(within(document).getByRole('link', { name: 'audit-report.pdf' })).toHaveAttribute(
      'href',
      '/documents/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
    );
    expect(within(document).getByText(`SHA-256 ${'ab'.repeat(32)}`)).toBeInTheDocument();
    const proof = screen.getByRole('region', { name: 'Ledger proof' });
    expect(within(proof).getByText('VALID')).toBeInTheDocument();
    expect(within(proof).getByText('david.okafor (CertifierMSP)')).toBeInTheDocument();
    expect(within(proof).getByText('ProducerMSP')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: `${window.location.origin}/v/c/CERT-1` })).toBeInTheDocument();
  });

  it('suspends only with a reason, and sends it', async () => {
    const network = mockFetch({ ...base, [SUSPEND]: () => json(accepted, 202) });
    renderApp('/certificates/CERT-1');
    await userEvent.click(await screen.findByRole('button', { name: 'Suspend' }));
    const dialog = screen.getByRole('dialog', { name: 'Suspend CERT-1?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Suspend' }));
    expect(within(dialog).getByText('Give the reason for this change.')).toBeInTheDocument();
    expect(network.calls(SUSPEND)).toHaveLength(0);

    await userEvent.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'Audit findings pending');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Suspend' }));
    expect(await screen.findByText('Suspending CERT-1')).toBeInTheDocument();
    expect(JSON.parse(network.calls(SUSPEND)[0]?.body ?? '{}')).toEqual({ reason: 'Audit findings pending' });
  });

  it('offers no actions to someone who did not issue it', async () => {
    mockFetch({
      ...base,
      'GET /api/v1/me': () =>
        json({
          ...david,
          roles: ['producer'],
          organization: { ...david.organization, msp_id: 'ProducerMSP' },
        }),
    });
    renderApp('/certificates/CERT-1');
    expect(await screen.findByRole('heading', { level: 1, name: 'CERT-1' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Suspend' })).not.toBeInTheDocument();
  });
});
