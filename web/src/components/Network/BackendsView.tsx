import { List, Text } from '@mantine/core';
import type { Backends } from './networkApi';

/** Each backend in plain words, saying so when an embedded stand-in runs. */
export function backendLines(backends: Backends): readonly { label: string; value: string }[] {
  return [
    {
      label: 'Ledger',
      value: backends.ledger === 'devnet' ? 'Embedded devnet (development)' : 'Hyperledger Fabric peer',
    },
    {
      label: 'Content (IPFS)',
      value: backends.ipfs === 'embedded' ? 'Embedded IPFS node (development)' : 'Kubo IPFS node',
    },
    {
      label: 'Object storage',
      value:
        backends.object_storage === 'local'
          ? 'Local directory (development)'
          : backends.object_storage === 'oci'
            ? 'OCI Object Storage'
            : 'S3-compatible object storage',
    },
    {
      label: 'Identity provider',
      value:
        backends.identity_provider === 'development'
          ? `Development identity provider (${backends.identity_issuer})`
          : `OCI IAM identity domain (${backends.identity_issuer})`,
    },
    {
      label: 'Key sealing',
      value: backends.key_sealing === 'local' ? 'Local key file (development)' : 'OCI Vault',
    },
  ];
}

export function BackendsView({ backends }: { readonly backends: Backends }) {
  return (
    <List spacing={4} size="sm" listStyleType="none" aria-label="Backends">
      {backendLines(backends).map(({ label, value }) => (
        <List.Item key={label}>
          <Text span fw={600} size="sm">
            {label}:
          </Text>{' '}
          <Text span size="sm" style={{ overflowWrap: 'anywhere' }}>
            {value}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
