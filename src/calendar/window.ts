// The Window a digest covers: from 00:00 of a date in a zone, for N weeks.
import { DateTime } from 'luxon';
import { isLocalDate } from './wall-time.ts';

export interface Window {
  /** Instant of 00:00 on the first day, in `zone`. */
  startMs: number;
  /** Instant of 00:00 on the day after the last. */
  endMs: number;
  zone: string;
  /** First day, `YYYY-MM-DD`. */
  startDate: string;
  /** Day after the last, `YYYY-MM-DD` (exclusive). */
  endDate: string;
}

export function windowFor(asOf: string, weeks: number, zone: string): Window {
  if (!isLocalDate(asOf)) throw new RangeError(`'${asOf}' is not a date (YYYY-MM-DD)`);
  const start = DateTime.fromISO(asOf, { zone }).startOf('day');
  const end = start.plus({ weeks });
  return {
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    zone,
    startDate: start.toISODate() as string,
    endDate: end.toISODate() as string,
  };
}

/** The window's bounds as the contract prints them, with the zone's offsets. */
export function windowToJson(w: Window): { start: string; end: string; timezone: string } {
  const iso = (ms: number) => DateTime.fromMillis(ms, { zone: w.zone }).toISO({ suppressMilliseconds: true }) as string;
  return { start: iso(w.startMs), end: iso(w.endMs), timezone: w.zone };
}
