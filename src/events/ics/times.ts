// Date and time values of iCalendar properties, read through ical.js and moved between zones with luxon.
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { addDays, instantToWall, isLocalDate, normalizeLocalDateTime, wallToInstantMs } from '../../calendar/wall-time.ts';
import { isKnownZone, zoneFor } from '../../calendar/zones.ts';
import type { JCalProperty } from './reader.ts';

/** One DATE or DATE-TIME value as written: `wall` is a LocalDate or LocalDateTime. */
export interface IcsTime {
  isDate: boolean;
  wall: string;
  /** The value's zone: 'UTC' for a trailing Z, the resolved TZID, or undefined when floating. */
  zone?: string;
  /** Written with a trailing Z (a UTC instant rather than a TZID). */
  utc: boolean;
  /** RDATE;VALUE=PERIOD: the period's end, or its duration. */
  period?: { end?: IcsTime; duration?: string };
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
export function readTimes(prop: JCalProperty, resolve: (tzid: string) => string): IcsTime[] | undefined {
  const tzidParam = 'tzid' in prop[1] ? prop[1].tzid : undefined;
  // An unquoted TZID with an escaped comma ("Kuala Lumpur\, Singapore") comes back as a list.
  const tzidText = Array.isArray(tzidParam) ? tzidParam.join(',') : tzidParam;
  const tzid = typeof tzidText === 'string' && tzidText.trim() !== '' ? resolve(tzidText) : undefined;
  // The jCal strings ('2016-10-04T19:00:00Z'), not ICAL.Time, so invalid dates are seen instead of rolled over.
  const out: IcsTime[] = [];
  for (const v of prop.slice(3)) {
    const t = readOne(Array.isArray(v) ? v[0] : v, tzid);
    if (t === undefined) return undefined;
    if (Array.isArray(v)) {
      // A PERIOD: [start, end] or [start, duration].
      const second = String(v[1] ?? '');
      const end = /^[+-]?P/i.test(second) ? undefined : readOne(second, tzid);
      if (end === undefined && !/^[+-]?P/i.test(second)) return undefined;
      t.period = end ? { end } : { duration: second };
    }
    out.push(t);
  }
  return out.length > 0 ? out : undefined;
}

/** The value's wall time in `zone`; floating values, and any in an unknown zone, are taken as already in it. */
export function wallIn(t: IcsTime, zone: string): string {
  if (t.isDate || t.zone === undefined || t.zone === zone || !isKnownZone(t.zone) || !isKnownZone(zone)) {
    return t.wall;
  }
  return instantToWall(wallToInstantMs(t.wall, t.zone), zone);
}

/**
 * As the event's kind of value: a date for all-day events, a wall time in `zone` otherwise. An
 * all-day series is matched on the date as written, whatever zone it is written in: Exchange
 * writes RECURRENCE-ID;TZID=W. Europe Standard Time:20170604T000000 for the instance of June 4.
 */
export function valueFor(t: IcsTime, allDay: boolean, zone: string, timeOfDay: string): string {
  if (allDay) return t.wall.slice(0, 10);
  // A DATE on a timed event (some exporters write EXDATE;VALUE=DATE) means that day's instance.
  return t.isDate ? `${t.wall}T${timeOfDay}` : wallIn(t, zone);
}

/** The last day of an all-day event from its exclusive DTEND (never before the start). */
export function inclusiveEndDate(start: string, exclusiveEnd: IcsTime, zone: string): string {
  let end = exclusiveEnd.zone === 'UTC' ? wallIn(exclusiveEnd, zone) : exclusiveEnd.wall;
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
  const z = isKnownZone(zone) ? zoneFor(zone) : 'UTC';
  const begin = DateTime.fromISO(start, { zone: z });
  const end = begin.plus({ days }).plus({ hours: d.hours, minutes: d.minutes, seconds: d.seconds });
  return end.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** The end of an RDATE period as the event's kind of value, or undefined when it does not read. */
export function periodEnd(start: string, period: NonNullable<IcsTime['period']>, allDay: boolean, zone: string): string | undefined {
  if (period.end) return allDay ? inclusiveEndDate(start, period.end, zone) : wallIn(period.end, zone);
  return period.duration === undefined ? undefined : addDuration(start, period.duration, allDay, zone);
}
