/**
 * How a readiness status looks. The API says "ok" or "fail" today; any other word
 * (say "degraded") still renders, as a warning, rather than being hidden.
 */

export type StatusTone = 'ok' | 'fail' | 'other';

export function statusTone(status: string): StatusTone {
  if (status === 'ok') return 'ok';
  if (status === 'fail') return 'fail';
  return 'other';
}

export const TONE_COLORS: Readonly<Record<StatusTone, string>> = {
  ok: 'teal',
  fail: 'red',
  other: 'yellow',
};

const CHECK_LABELS: Readonly<Record<string, string>> = {
  database: 'Database',
  identity: 'Identity provider',
  data_dir: 'Data directory',
  ledger: 'Ledger',
  ipfs: 'IPFS',
  storage: 'Object storage',
  events: 'Event listener',
};

/** A readable name for a check: "data_dir" → "Data directory", "kubo_rpc" → "Kubo rpc". */
export function checkLabel(name: string): string {
  const known = CHECK_LABELS[name];
  if (known !== undefined) return known;
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "0.42 ms", "12.5 ms", "143 ms", "2.41 s". */
export function formatLatency(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms).toString()} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
