import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { MUTED } from '../Transaction/colors';
import type { CertificateDetail } from './api';

type Proof = CertificateDetail['proof'];

function Fact({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c={MUTED} fw={600} tt="uppercase">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

/** Where the ledger recorded the certificate, and who vouched for it. */
export function LedgerProofCard({ proof }: { readonly proof: Proof }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="proof-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="proof-title">
          Ledger proof
        </Title>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} m={0}>
          <Fact label="Transaction">
            <Text span ff="monospace" size="xs">
              {proof.tx_id}
            </Text>
          </Fact>
          <Fact label="Block">{proof.block_number}</Fact>
          <Fact label="Validation code">{proof.validation_code}</Fact>
          <Fact label="Created by">
            {proof.creator_enrollment_id ?? proof.creator_subject ?? 'unknown'} ({proof.creator_msp_id})
          </Fact>
          <Fact label="Endorsed by">
            <Group gap={4} component="span">
              {proof.endorsers.map((msp) => (
                <Badge key={msp} variant="outline" color="gray.8" component="span">
                  {msp}
                </Badge>
              ))}
            </Group>
          </Fact>
          {proof.function !== null && <Fact label="Function">{proof.function}</Fact>}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
