/** The checkpoint form's short vocabularies and its conversion to the API's body. */
import type { BizStep, Disposition, RecordCheckpoint } from './api';
import { parseCelsius } from './temperature';

/** The CBV business steps a custodian records on the road, in the order they happen. */
export const BIZ_STEPS: readonly BizStep[] = [
  'packing',
  'staging_outbound',
  'loading',
  'shipping',
  'departing',
  'transporting',
  'arriving',
  'unloading',
  'receiving',
  'inspecting',
  'storing',
];

export const DISPOSITIONS: readonly Disposition[] = [
  'in_transit',
  'in_progress',
  'active',
  'conformant',
  'non_conformant',
  'damaged',
  'returned',
];

export interface CheckpointInput {
  readonly bizStep: BizStep;
  readonly disposition: Disposition;
  readonly readPoint: string;
  readonly location: string;
  readonly temperatures: string;
}

/** The UTC offset of `date` in this browser, as EPCIS writes it: "+01:00". */
export function zoneOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The body to send, or null when the temperatures are not a list of numbers. */
export function checkpointBody(input: CheckpointInput, now: Date): RecordCheckpoint | null {
  const celsius = parseCelsius(input.temperatures);
  if (celsius === null) return null;
  const location = input.location.trim();
  return {
    event_time: now.toISOString(),
    event_time_zone_offset: zoneOffset(now),
    biz_step: input.bizStep,
    disposition: input.disposition,
    read_point: input.readPoint.trim(),
    biz_location: location === '' ? null : location,
    sensor_readings: celsius.map((value) => ({ type: 'gs1:Temperature', value, uom: 'CEL' })),
    documents: [],
  };
}
