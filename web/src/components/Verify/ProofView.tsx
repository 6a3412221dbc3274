import { Anchor, Badge } from '@mantine/core';
import { Link } from 'react-router';
import { Facts } from './Facts';
import { formatDateTime } from './format';
import type { PublicProof } from './verifyApi';
import { Section } from './Section';

/** Where the ledger committed the record and who vouched for it. */
export function ProofView({ proof }: { readonly proof: PublicProof }) {
  const valid = proof.validation_code === 'VALID';
  return (
    <Section title="Ledger proof">
      <Facts
        facts={[
          {
            label: 'Transaction',
            value: (
              <Anchor component={Link} to={`/network?tx=${encodeURIComponent(proof.tx_id)}`} ff="monospace">
                {proof.tx_id}
              </Anchor>
            ),
          },
          { label: 'Block', value: String(proof.block_number) },
          {
            label: 'Validation',
            value: (
              <Badge color={valid ? 'green' : 'red'} variant="light">
                {proof.validation_code}
              </Badge>
            ),
          },
          { label: 'Committed', value: formatDateTime(proof.timestamp) },
          { label: 'Submitted by', value: proof.creator_msp_id },
          { label: 'Endorsed by', value: proof.endorsers.join(', ') || '—' },
          { label: 'Function', value: proof.function ?? '—', mono: proof.function !== null },
        ]}
      />
    </Section>
  );
}
