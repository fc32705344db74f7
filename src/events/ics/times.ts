// Date and time values of iCalendar properties, read through ical.js and moved between zones with luxon.
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import {
  addDays,
  instantToWall,
  isIanaZone,
  isLocalDate,
  normalizeLocalDateTime,
  wallToInstantMs,
} from '../../calendar/wall-time.ts';

type Property = InstanceType<typeof ICAL.Property>;

/** One DATE or DATE-TIME value as written: `wall` is a LocalDate or LocalDateTime. */
export interface IcsTime {
  isDate: boolean;
  wall: string;
  /** The value's zone: 'UTC' for a trailing Z, the resolved TZID, or undefined when floating. */
  zone?: string;
  /** Written with a trailing Z (a UTC instant rather than a TZID). */
  utc: boolean;
}

function readOne(raw: unknown, tzid: string | undefined): IcsTime | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw.length === 10) return isLocalDate(raw) ? { isDate: true, wall: raw, utc: false } : undefined;
  const utc = raw.endsWith('Z');
  const wall = normalizeLocalDateTime(utc ? raw.slice(0, -1) : raw);
  if (wall === undefined) return undefined;
  if (utc) return { isDate: false, wall, zone: 'UTC', utc: true };
  return tzid === undefined ? { isDate: false, wall, utc: false } : { isDate: false, wall, zone: tzid, utc: false };
}

/**
 * Every value of a DTSTART/DTEND/EXDATE/RDATE/RECURRENCE-ID property (a PERIOD counts by its
 * start); undefined when one of them is not a real date or time.
 */
export function readTimes(prop: Property, resolve: (tzid: string) => string): IcsTime[] | undefined {
  const tzidParam = prop.getParameter('tzid');
  const tzid = typeof tzidParam === 'string' && tzidParam.trim() !== '' ? resolve(tzidParam) : undefined;
  // The jCal strings ('2016-10-04T19:00:00Z'), not ICAL.Time, so invalid dates are seen instead of rolled over.
  const raws = (prop.jCal as unknown[]).slice(3).map((v) => (Array.isArray(v) ? v[0] : v));
  const out: IcsTime[] = [];
  for (const raw of raws) {
    const t = readOne(raw, tzid);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out.length > 0 ? out : undefined;
}

/** The value's wall time in `zone`; floating values, and any in a zone luxon does not know, are taken as already in it. */
export function wallIn(t: IcsTime, zone: string): string {
  if (t.isDate || t.zone === undefined || t.zone === zone || !isIanaZone(t.zone) || !isIanaZone(zone)) {
    return t.wall;
  }
  return instantToWall(wallToInstantMs(t.wall, t.zone), zone);
}

/** As the event's kind of value: a date for all-day events, a wall time in `zone` otherwise. */
export function valueFor(t: IcsTime, allDay: boolean, zone: string, timeOfDay: string): string {
  if (allDay) return wallIn(t, zone).slice(0, 10);
  // A DATE on a timed event (some exporters write EXDATE;VALUE=DATE) means that day's instance.
  return t.isDate ? `${t.wall}T${timeOfDay}` : wallIn(t, zone);
}

/** The last day of an all-day event from its exclusive DTEND (never before the start). */
export function inclusiveEndDate(start: string, exclusiveEnd: IcsTime, zone: string): string {
  let end = wallIn(exclusiveEnd, zone);
  // A DATE-TIME DTEND at midnight also ends the day before; at any other time it ends that day.
  end = end.length === 10 || end.endsWith('T00:00:00') ? addDays(end.slice(0, 10), -1) : end.slice(0, 10);
  return end < start ? start : end;
}

/**
 * Start plus an RFC 5545 duration: weeks and days are calendar days (a "P1D" stays at the same
 * wall time across a DST change), hours and smaller are elapsed time. Undefined when invalid.
 */
export function addDuration(start: string, value: string, allDay: boolean, zone: string): string | undefined {
  let d: InstanceType<typeof ICAL.Duration>;
  try {
    d = ICAL.Duration.fromString(value.trim());
  } catch {
    return undefined;
  }
  if (d.isNegative) return undefined;
  const days = d.weeks * 7 + d.days;
  if (allDay) return days <= 1 ? start : addDays(start, days - 1);
  const z = isIanaZone(zone) ? zone : 'UTC';
  const begin = DateTime.fromISO(start, { zone: z });
  const end = begin.plus({ days }).plus({ hours: d.hours, minutes: d.minutes, seconds: d.seconds });
  return end.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}
