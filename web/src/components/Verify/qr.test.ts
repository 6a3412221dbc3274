import { describe, expect, it } from 'vitest';
import { verifyPathOf } from './qr';

describe('verifyPathOf', () => {
  it.each([
    ['http://example.test/v/c/CERT-1', '/verify/certificates/CERT-1'],
    ['http://example.test/v/s/SHP-9', '/verify/shipments/SHP-9'],
    [
      '/verify/certificates/CERT-1?at=2025-01-01T00:00:00Z',
      '/verify/certificates/CERT-1?at=2025-01-01T00:00:00Z',
    ],
    ['/api/v1/verify/shipments/SHP-9', '/verify/shipments/SHP-9'],
  ])('leads %s to %s', (text, path) => {
    expect(verifyPathOf(text)).toBe(path);
  });

  it.each(['hello', 'http://example.test/profile', 'http://example.test/v/x/1'])('refuses %s', (text) => {
    expect(verifyPathOf(text)).toBeNull();
  });
});
