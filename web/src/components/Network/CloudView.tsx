import { Lines, type Line } from './Lines';
import type { NetworkView } from './networkApi';

export type Cloud = NetworkView['cloud'];

const TARGETS: Readonly<Record<NonNullable<Cloud['deployment']['target']>, string>> = {
  embedded: 'this machine: the embedded development stack',
  oke: 'Kubernetes on OCI (OKE), with workload identity',
  functions: 'OCI Functions, with a resource principal',
  compute: 'an OCI compute instance, with an instance principal',
};

function objectStorage({ object_storage: s }: Cloud): string {
  const known = (value: string | null) => value ?? 'not set';
  if (s.backend === 'local') return `local files (embedded stand-in) in ${known(s.directory)}`;
  if (s.backend === 'oci') {
    return `OCI Object Storage: bucket ${known(s.bucket)} in namespace ${known(s.namespace)}, region ${known(s.region)}`;
  }
  return `S3-compatible storage: bucket ${known(s.bucket)} at ${known(s.endpoint)}`;
}

function identityProvider({ identity_provider: idp }: Cloud): string {
  if (idp.kind === 'development') return `development issuer (embedded stand-in) at ${idp.issuer}`;
  if (idp.kind === 'oci_identity_domain') return `OCI IAM identity domain ${idp.issuer}`;
  return `OIDC issuer ${idp.issuer}`;
}

/** The cloud side in plain words: where files go, who signs people in, where this runs. */
export function cloudLines(cloud: Cloud): readonly Line[] {
  const { profile, target } = cloud.deployment;
  return [
    { label: 'Files are stored in', value: objectStorage(cloud) },
    { label: 'People sign in with', value: identityProvider(cloud) },
    {
      label: 'Deployed on',
      value: `${target === null ? 'not said by the settings' : TARGETS[target]} (${profile} profile)`,
    },
  ];
}

export function CloudView({ cloud }: { readonly cloud: Cloud }) {
  return <Lines lines={cloudLines(cloud)} label="Cloud side" />;
}
