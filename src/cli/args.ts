// Parsers for option values: a bad value is a usage error (exit 2) that names the option.
import { DateTime } from 'luxon';
import { isIanaZone, isLocalDate } from '../calendar/wall-time.ts';
import { DigestError } from '../errors.ts';
import type { Clock } from '../clock.ts';

export function parseDateOption(value: string | undefined, option: string, clock: Clock, zone: string): string {
  if (value === undefined) return DateTime.fromJSDate(clock.now(), { zone }).toISODate() as string;
  if (!isLocalDate(value)) throw new DigestError('USAGE', `${option}: '${value}' is not a date (YYYY-MM-DD)`);
  return value;
}

export function parseZoneOption(value: string | undefined, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isIanaZone(value)) throw new DigestError('USAGE', `${option}: '${value}' is not a known IANA time zone`);
  return value;
}

export function parseIntOption(value: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new DigestError('USAGE', `${option}: '${value}' is not a whole number from ${min} to ${max}`);
  return n;
}
