/** Certificate payloads shaped like the API's, for the certificate screens' tests. */
import type { CertificateDetail, CertificateSummary } from './api';

export function certificateSummary(
  id: string,
  overrides: Partial<CertificateSummary> = {},
): CertificateSummary {
  return {
    id,
    scheme: 'EU-ORGANIC',
    subject: {
      kind: 'organization',
      id: 'ORG-GREENFIELD',
      name: 'Greenfield Organic Cooperative',
      msp_id: 'ProducerMSP',
    },
    scope: 'Fresh vegetables',
    valid_from: '2026-01-01T00:00:00Z',
    valid_until: '2027-01-01T00:00:00Z',
    status: 'ACTIVE',
    status_reason: null,
    issuer_msp_id: 'CertifierMSP',
    issued_at: '2026-01-02T09:30:00Z',
    tx_id: 'f'.repeat(64),
    block_number: 4,
    ...overrides,
  };
}

const proof = {
  tx_id: 'f'.repeat(64),
  block_number: 4,
  validation_code: 'VALID',
  timestamp: '2026-01-02T09:30:00Z',
  creator_msp_id: 'CertifierMSP',
  creator_subject: 'CN=david.okafor',
  creator_enrollment_id: 'david.okafor',
  endorsers: ['CertifierMSP', 'ProducerMSP'],
  function: 'IssueCertificate',
};

export function certificateDetail(id: string, overrides: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    ...certificateSummary(id),
    metadata_cid: null,
    documents: [
      {
        cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
        sha256: 'ab'.repeat(32),
        size: 2048,
        media_type: 'application/pdf',
        name: 'audit-report.pdf',
      },
    ],
    proof,
    history: [{ tx_id: proof.tx_id, timestamp: proof.timestamp, status: 'ACTIVE', proof }],
    ...overrides,
  };
}
