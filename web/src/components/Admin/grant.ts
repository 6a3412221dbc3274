/** Checks of an accreditation request before it is sent, in the words the form shows. */

/** The chaincode's pattern for a scheme id. */
const SCHEME = /^[A-Za-z0-9._:-]{1,64}$/;

export interface GrantProblems {
  readonly mspId?: string;
  readonly schemes?: string;
}

export function grantProblems(mspId: string | null, schemes: readonly string[]): GrantProblems {
  const bad = schemes.filter((scheme) => !SCHEME.test(scheme));
  return {
    ...(mspId === null || mspId === '' ? { mspId: 'Choose the organization to accredit.' } : {}),
    ...(schemes.length === 0
      ? { schemes: 'Name at least one scheme.' }
      : bad.length > 0
        ? { schemes: `Use letters, digits and . _ : - only (not ${bad.join(', ')}).` }
        : {}),
  };
}
