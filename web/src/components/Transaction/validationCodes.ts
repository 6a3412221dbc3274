/** Fabric's transaction validation codes, said in words a person can act on. */
const REASONS: Readonly<Record<string, string>> = {
  MVCC_READ_CONFLICT: 'Another change to this record was committed first; try again.',
  PHANTOM_READ_CONFLICT: 'The records this change looked at changed before it was committed; try again.',
  DUPLICATE_TXID: 'This transaction was already submitted once.',
  ENDORSEMENT_POLICY_FAILURE: 'Not enough organizations endorsed this change.',
  BAD_CREATOR_SIGNATURE: 'The signature on this change is not valid.',
  BAD_PROPOSAL_TXID: 'The transaction id does not match its contents.',
  EXPIRED_CHAINCODE: 'The contract that endorsed this change has since been replaced; try again.',
  CHAINCODE_VERSION_CONFLICT: 'The contract that endorsed this change has since been replaced; try again.',
  INVALID_ENDORSER_TRANSACTION: 'The endorsements of this change are not valid.',
  BAD_RWSET: 'The change is malformed.',
  ILLEGAL_WRITESET: 'The change writes what it may not.',
  INVALID_WRITESET: 'The change writes what it may not.',
  NOT_VALIDATED: 'The network did not validate this change.',
};

/** Why the ledger refused a transaction, in words; the code itself when it is unknown. */
export function describeValidationCode(code: string | null): string {
  if (code === null) return 'The ledger refused this change without saying why.';
  return REASONS[code] ?? `The ledger refused this change (${code}).`;
}
