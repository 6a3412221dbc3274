/**
 * Temperature readings of a shipment's checkpoints, against the cold chain's limits.
 * Readings arrive as EPCIS sensor reports (`gs1:Temperature`, uom `CEL`), with their
 * value as an exact decimal string.
 */
import type { CheckpointView } from './api';

/** The band fresh produce must stay in, in °C. */
export const COLD_CHAIN = { min: 2, max: 8 } as const;

export interface TemperaturePoint {
  /** The checkpoint's event time, in milliseconds. */
  readonly time: number;
  readonly celsius: number;
  readonly seq: number;
  readonly outside: boolean;
}

function celsiusOf(reading: Readonly<Record<string, unknown>>): number | null {
  if (reading['type'] !== 'gs1:Temperature' || reading['uom'] !== 'CEL') return null;
  const value = Number(reading['value']);
  return Number.isFinite(value) ? value : null;
}

export function isOutside(celsius: number): boolean {
  return celsius < COLD_CHAIN.min || celsius > COLD_CHAIN.max;
}

/** Every temperature reading in event-time order; a checkpoint may carry several. */
export function temperaturePoints(checkpoints: readonly CheckpointView[]): TemperaturePoint[] {
  const points: TemperaturePoint[] = [];
  for (const checkpoint of checkpoints) {
    const time = Date.parse(checkpoint.event_time);
    for (const reading of checkpoint.sensor_readings) {
      const celsius = celsiusOf(reading);
      if (celsius !== null) points.push({ time, celsius, seq: checkpoint.seq, outside: isOutside(celsius) });
    }
  }
  return points.sort((a, b) => a.time - b.time);
}

/** The readings a form field holds, "4.2, 5" → ["4.2", "5"], or null if one is not a number. */
export function parseCelsius(text: string): string[] | null {
  const parts = text
    .split(/[,\s;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.every((part) => /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(part)) ? parts : null;
}
