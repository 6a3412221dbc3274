import { describe, expect, it } from 'vitest';
import { grantProblems } from './grant';

describe('grantProblems', () => {
  it('accepts an organization and schemes the chaincode accepts', () => {
    expect(grantProblems('ProducerMSP', ['EU-ORGANIC', 'GLOBALG.A.P.'])).toEqual({});
  });

  it('asks for the organization and a scheme', () => {
    expect(grantProblems(null, [])).toEqual({
      mspId: 'Choose the organization to accredit.',
      schemes: 'Name at least one scheme.',
    });
  });

  it('names the schemes the ledger would refuse', () => {
    expect(grantProblems('ProducerMSP', ['EU-ORGANIC', 'fair trade'])).toEqual({
      schemes: 'Use letters, digits and . _ : - only (not fair trade).',
    });
  });
});
