// Wall-clock times as the calendar writes them, and their conversion to instants with luxon.
import { DateTime } from 'luxon';
import { dayStartValue } from './day-blocks.ts';
import { zoneFor } from './zones.ts';

export { isIanaZone } from './zones.ts';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Days in a month of the proleptic Gregorian calendar (luxon's). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A day that exists; by arithmetic, since a big calendar has tens of thousands of dates (luxon: ~10 µs each). */
const isRealDay = (year: number, month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

/** `YYYY-MM-DD` that names a real day. */
export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  return m !== null && isRealDay(+m[1], +m[2], +m[3]);
}

/**
 * Normalises `YYYY-MM-DDTHH:mm[:ss]` (or with a space) to `YYYY-MM-DDTHH:mm:ss`;
 * undefined when it is not a valid wall time.
 */
export function normalizeLocalDateTime(s: string): string | undefined {
  const m = DATE_TIME_RE.exec(s);
  if (!m) return undefined;
  // The usual case, already in range, is rebuilt as is; luxon decides the rest (24:00:00 is the next day's midnight there).
  if (isRealDay(+m[1], +m[2], +m[3]) && +m[4] <= 23 && +m[5] <= 59 && (m[6] === undefined || +m[6] <= 59)) {
    // Already in the form (as ical.js writes every DATE-TIME): the string itself, not a rebuilt copy of it
    // (a concatenation of eleven pieces, which a big calendar's events then kept as a tree of strings).
    if (m[6] !== undefined && s[10] === 'T') return s;
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  }
  const dt = DateTime.fromObject(
    { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 },
    { zone: 'UTC' },
  );
  return dt.isValid ? dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") : undefined;
}

/**
 * "Floating UTC": the wall time's fields read as if they were UTC. rrule.js computes in this
 * space; nothing outside src/calendar should ever see one of these.
 */
export function wallToFloatingMs(wall: string): number {
  const y = +wall.slice(0, 4);
  const mo = +wall.slice(5, 7);
  const d = +wall.slice(8, 10);
  const h = wall.length > 10 ? +wall.slice(11, 13) : 0;
  const mi = wall.length > 10 ? +wall.slice(14, 16) : 0;
  const s = wall.length > 16 ? +wall.slice(17, 19) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function floatingMsToWall(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function floatingMsToDate(ms: number): string {
  return floatingMsToWall(ms).slice(0, 10);
}

/**
 * The instant of a wall time in a zone. A time in a spring-forward gap moves forward (as luxon
 * does); a time that occurs twice at a fall-back is the first of the two (RFC 5545, 3.3.5).
 */
export function wallToInstantMs(wall: string, zone: string): number {
  return floatingToInstantMs(wallToFloatingMs(wall), zone);
}

/** Per zone and UTC day, the zone's UTC offset in minutes at that day's first instant (luxon asks Intl, ~10–35 µs). */
const offsetAtDayStart = new Map<string, Map<number, number>>();

function dayStartOffset(zone: string, day: number): number {
  let days = offsetAtDayStart.get(zone);
  if (!days) offsetAtDayStart.set(zone, (days = new Map()));
  return dayStartValue(days, day, (d) => zoneFor(zone).offset(d * 86_400_000));
}

/**
 * The zone's UTC offset at an instant, in minutes, as luxon gives it. A UTC day that starts and
 * ends (the next one starts) with the same offset has no transition (no zone changes and changes
 * back within a day), so it is answered from the cache; a day with a transition asks luxon.
 */
export function offsetAt(ms: number, zone: string): number {
  const day = Math.floor(ms / 86_400_000);
  const a = dayStartOffset(zone, day);
  return a === dayStartOffset(zone, day + 1) ? a : zoneFor(zone).offset(ms);
}

/** wallToInstantMs for a floating ms, from the cached offsets: a wall time is an instant within about ±14 h of its floating ms. */
export function floatingToInstantMs(floatingMs: number, zone: string): number {
  const day = Math.floor(floatingMs / 86_400_000);
  const off = dayStartOffset(zone, day - 1);
  // One offset from the day before to the day after: no transition near, so that offset reads the wall time.
  if (off === dayStartOffset(zone, day) && off === dayStartOffset(zone, day + 1) && off === dayStartOffset(zone, day + 2)) return floatingMs - off * 60_000;
  return floatingToInstantNearTransition(floatingMs, zone);
}

/**
 * Near a transition, the offsets a day either side are the candidates: one that reproduces itself
 * is a real reading of the wall time (two at a fall-back: the earlier instant wins); none means a
 * spring-forward gap, where the time moves forward by the gap (the offset before it).
 */
function floatingToInstantNearTransition(floatingMs: number, zone: string): number {
  const z = zoneFor(zone);
  const before = z.offset(floatingMs - 86_400_000);
  const after = z.offset(floatingMs + 86_400_000);
  const valid = [before, after].filter((o) => z.offset(floatingMs - o * 60_000) === o);
  if (valid.length === 0) return floatingMs - before * 60_000;
  return Math.min(...valid.map((o) => floatingMs - o * 60_000));
}

/** The wall time of an instant in a zone, as `YYYY-MM-DDTHH:mm:ss`. */
export function instantToWall(ms: number, zone: string): string {
  return floatingMsToWall(ms + offsetAt(ms, zone) * 60_000);
}

/** The date of an instant in a zone, `YYYY-MM-DD` (luxon's toISODate). */
export function instantToDate(ms: number, zone: string): string {
  const wall = instantToWall(ms, zone);
  // Years outside 0000–9999 are written the way luxon writes them (+010000).
  return /^\d{4}-/.test(wall) ? wall.slice(0, 10) : (DateTime.fromMillis(ms, { zone: zoneFor(zone) }).toISODate() as string);
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2016-12-06T11:00:00-08:00 (luxon's toISO, suppressing milliseconds). */
export function instantToIso(ms: number, zone: string): string {
  const off = offsetAt(ms, zone);
  const wall = floatingMsToWall(ms + off * 60_000);
  // Whole seconds and minutes in a zone that is not fixed at UTC, years 0000–9999: written here; the rest by luxon.
  if (ms % 1000 === 0 && Number.isInteger(off) && /^\d{4}-/.test(wall) && !zoneFor(zone).isUniversal) {
    const a = Math.abs(off);
    return `${wall}${off < 0 ? '-' : '+'}${pad(Math.trunc(a / 60))}:${pad(a % 60)}`;
  }
  return DateTime.fromMillis(ms, { zone: zoneFor(zone) }).toISO({ suppressMilliseconds: true }) as string;
}

export function addDays(date: string, days: number): string {
  return floatingMsToDate(wallToFloatingMs(date) + days * 86_400_000);
}
