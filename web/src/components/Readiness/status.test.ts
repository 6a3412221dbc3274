import { describe, expect, it } from 'vitest';
import { checkLabel, formatLatency, statusTone } from './status';

describe('readiness status helpers', () => {
  it('names known checks and makes unknown ones readable', () => {
    expect(checkLabel('database')).toBe('Database');
    expect(checkLabel('data_dir')).toBe('Data directory');
    expect(checkLabel('kubo_rpc')).toBe('Kubo rpc');
  });

  it('formats latency for people', () => {
    expect(formatLatency(0.4213)).toBe('0.42 ms');
    expect(formatLatency(12.47)).toBe('12.5 ms');
    expect(formatLatency(143.6)).toBe('144 ms');
    expect(formatLatency(2410)).toBe('2.41 s');
  });

  it('tones any status word', () => {
    expect(statusTone('ok')).toBe('ok');
    expect(statusTone('fail')).toBe('fail');
    expect(statusTone('degraded')).toBe('other');
  });
});
