import { Lines, type Line } from './Lines';
import type { Backends } from './networkApi';

/** Each backend in plain words, saying so when an embedded stand-in runs. */
export function backendLines(backends: Backends): readonly Line[] {
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
  return <Lines lines={backendLines(backends)} label="Backends" />;
}
