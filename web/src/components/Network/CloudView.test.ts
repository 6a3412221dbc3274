import { describe, expect, it } from 'vitest';
import { cloudLines, type Cloud } from './CloudView';

const NONE = { namespace: null, bucket: null, region: null, endpoint: null, directory: null };

function cloud(overrides: Partial<Cloud>): Cloud {
  return {
    object_storage: { ...NONE, backend: 'local', directory: '/srv/provena/objects' },
    identity_provider: { kind: 'development', issuer: 'http://127.0.0.1:8000/dev-oidc' },
    deployment: { profile: 'development', target: 'embedded' },
    ...overrides,
  };
}

const values = (c: Cloud) => cloudLines(c).map((line) => line.value);

describe('cloudLines', () => {
  it('names the embedded stand-ins as such', () => {
    expect(values(cloud({}))).toEqual([
      'local files (embedded stand-in) in /srv/provena/objects',
      'development issuer (embedded stand-in) at http://127.0.0.1:8000/dev-oidc',
      'this machine: the embedded development stack (development profile)',
    ]);
  });

  it('says the OCI bucket, namespace and region, the identity domain and OKE', () => {
    const oci = cloud({
      object_storage: {
        ...NONE,
        backend: 'oci',
        namespace: 'axaxnpcrorw5',
        bucket: 'provena-documents',
        region: 'eu-frankfurt-1',
      },
      identity_provider: {
        kind: 'oci_identity_domain',
        issuer: 'https://idcs-0123.identity.oraclecloud.com',
      },
      deployment: { profile: 'production', target: 'oke' },
    });
    expect(values(oci)).toEqual([
      'OCI Object Storage: bucket provena-documents in namespace axaxnpcrorw5, region eu-frankfurt-1',
      'OCI IAM identity domain https://idcs-0123.identity.oraclecloud.com',
      'Kubernetes on OCI (OKE), with workload identity (production profile)',
    ]);
  });

  it('says the S3 endpoint and bucket, and when the settings do not say where it runs', () => {
    const s3 = cloud({
      object_storage: { ...NONE, backend: 's3', bucket: 'provena', endpoint: 'https://s3.example.org' },
      deployment: { profile: 'production', target: null },
    });
    expect(values(s3)[0]).toBe('S3-compatible storage: bucket provena at https://s3.example.org');
    expect(values(s3)[2]).toBe('not said by the settings (production profile)');
  });
});
