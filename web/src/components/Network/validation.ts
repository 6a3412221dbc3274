/** Fabric's transaction validation codes, said in words a person can act on. */

const WORDS: Readonly<Record<string, string>> = {
  VALID: 'Valid',
  MVCC_READ_CONFLICT: 'Another transaction changed the same records first',
  PHANTOM_READ_CONFLICT: 'The records it queried changed before it was committed',
  ENDORSEMENT_POLICY_FAILURE: 'Not endorsed by the organizations the policy requires',
  DUPLICATE_TXID: 'The same transaction was submitted twice',
  BAD_PAYLOAD: 'The transaction was malformed',
  BAD_CREATOR_SIGNATURE: 'The submitter’s signature did not verify',
  INVALID_ENDORSER_TRANSACTION: 'An endorsement did not verify',
  EXPIRED_CHAINCODE: 'It was endorsed by an outdated chaincode version',
  CHAINCODE_VERSION_CONFLICT: 'It was endorsed by a different chaincode version',
  TARGET_CHAIN_NOT_FOUND: 'The channel was not found',
  ILLEGAL_WRITESET: 'It tried to write where it may not',
};

export function describeValidation(code: string): string {
  return WORDS[code] ?? `Rejected by the ledger (${code.toLowerCase().replaceAll('_', ' ')})`;
}
