import { describe, expect, it } from 'vitest';
import { describeValidation } from './validation';

describe('describeValidation', () => {
  it('says why a known code was rejected', () => {
    expect(describeValidation('MVCC_READ_CONFLICT')).toBe(
      'Another transaction changed the same records first',
    );
  });

  it('still words an unknown code', () => {
    expect(describeValidation('NIL_TXACTION')).toBe('Rejected by the ledger (nil txaction)');
  });
});
