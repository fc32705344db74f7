// Builds VTIMEZONE components: from luxon's IANA data (one sub-component per offset change in the years asked for), or as a calendar defined them.
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { DefinedZone } from '../../calendar/defined-zone.ts';

type Component = InstanceType<typeof ICAL.Component>;

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface OffsetTransition {
  /** The instant the new offset starts. */
  atMs: number;
  /** UTC offsets in minutes, before and after. */
  from: number;
  to: number;
}

/** Every offset change in [fromMs, toMs), found day by day and then to the minute. */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): OffsetTransition[] {
  const z = IANAZone.create(zone);
  const out: OffsetTransition[] = [];
  let t = fromMs;
  let before = z.offset(t);
  while (t < toMs) {
    const next = Math.min(t + DAY, toMs);
    const after = z.offset(next);
    if (after !== before) {
      let lo = Math.floor(t / MINUTE);
      let hi = Math.ceil(next / MINUTE);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (z.offset(mid * MINUTE) === before) lo = mid;
        else hi = mid;
      }
      out.push({ atMs: hi * MINUTE, from: before, to: after });
    }
    t = next;
    before = after;
  }
  return out;
}

/** English abbreviations where ICU has one (EST, CEST, AEDT), else the numeric form tzdb itself uses (+09, +0530). */
export function zoneAbbreviation(zone: string, ms: number): string {
  for (const locale of ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ']) {
    const name = DateTime.fromMillis(ms, { zone, locale }).offsetNameShort;
    if (name && !/^(GMT|UTC)[+-−]/.test(name)) return name;
  }
  const offset = IANAZone.create(zone).offset(ms);
  const abs = Math.abs(offset);
  const mm = abs % 60;
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${mm ? String(mm).padStart(2, '0') : ''}`;
}

/** jCal 'YYYY-MM-DDTHH:mm:ss' of an instant shifted by an offset: the local time a transition is written in. */
function localJcal(ms: number, offsetMin: number): string {
  return DateTime.fromMillis(ms + offsetMin * MINUTE, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

function offsetJcal(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function observance(zone: string, atMs: number, localStart: string, from: number, to: number): Component {
  const dst = DateTime.fromMillis(atMs, { zone }).isInDST;
  const c = new ICAL.Component(dst ? 'daylight' : 'standard');
  c.addProperty(new ICAL.Property(['dtstart', {}, 'date-time', localStart]));
  c.addProperty(new ICAL.Property(['tzoffsetfrom', {}, 'utc-offset', offsetJcal(from)]));
  c.addProperty(new ICAL.Property(['tzoffsetto', {}, 'utc-offset', offsetJcal(to)]));
  c.addProperty(new ICAL.Property(['tzname', {}, 'text', zoneAbbreviation(zone, atMs)]));
  return c;
}

/**
 * A VTIMEZONE valid from 1 January of `fromYear` to the end of `toYear`: an opening observance
 * for the offset in force on that first day, then one observance per change (DTSTART in the
 * offset before it, as RFC 5545 §3.6.5 wants). A zone that never changes gets one STANDARD.
 */
export function buildVtimezone(zone: string, fromYear: number, toYear: number): Component {
  const vtz = new ICAL.Component('vtimezone');
  vtz.addProperty(new ICAL.Property(['tzid', {}, 'text', zone]));
  vtz.addProperty(new ICAL.Property(['x-lic-location', {}, 'unknown', zone]));
  // Local midnights, so the opening observance starts on New Year's Day as people read it.
  const fromMs = DateTime.fromObject({ year: fromYear, month: 1, day: 1 }, { zone }).toMillis();
  const toMs = DateTime.fromObject({ year: toYear + 1, month: 1, day: 1 }, { zone }).toMillis();
  const transitions = offsetTransitions(zone, fromMs, toMs);
  const initial = IANAZone.create(zone).offset(fromMs);
  if (transitions.length === 0) {
    const c = new ICAL.Component('standard');
    c.addProperty(new ICAL.Property(['dtstart', {}, 'date-time', '1970-01-01T00:00:00']));
    c.addProperty(new ICAL.Property(['tzoffsetfrom', {}, 'utc-offset', offsetJcal(initial)]));
    c.addProperty(new ICAL.Property(['tzoffsetto', {}, 'utc-offset', offsetJcal(initial)]));
    c.addProperty(new ICAL.Property(['tzname', {}, 'text', zoneAbbreviation(zone, fromMs)]));
    vtz.addSubcomponent(c);
    return vtz;
  }
  vtz.addSubcomponent(observance(zone, fromMs, localJcal(fromMs, initial), initial, initial));
  for (const t of transitions) vtz.addSubcomponent(observance(zone, t.atMs, localJcal(t.atMs, t.from), t.from, t.to));
  return vtz;
}

/** A zone a calendar defined, written back as it defined it, with its IANA name (if shown under one) as X-LIC-LOCATION. */
export function definedVtimezone(tzid: string, zone: DefinedZone): Component {
  const vtz = new ICAL.Component('vtimezone');
  vtz.addProperty(new ICAL.Property(['tzid', {}, 'text', tzid]));
  if (IANAZone.isValidZone(zone.displayName)) vtz.addProperty(new ICAL.Property(['x-lic-location', {}, 'unknown', zone.displayName]));
  for (const o of zone.definition.observances) {
    const c = new ICAL.Component(o.kind.toLowerCase());
    c.addProperty(new ICAL.Property(['dtstart', {}, 'date-time', o.start]));
    c.addProperty(new ICAL.Property(['tzoffsetfrom', {}, 'utc-offset', offsetJcal(o.offsetFrom)]));
    c.addProperty(new ICAL.Property(['tzoffsetto', {}, 'utc-offset', offsetJcal(o.offsetTo)]));
    if (o.rrule) c.addProperty(new ICAL.Property(ICAL.parse.property(`RRULE:${o.rrule}`)));
    for (const r of o.rdates) c.addProperty(new ICAL.Property(['rdate', {}, 'date-time', r]));
    if (o.name) c.addProperty(new ICAL.Property(['tzname', {}, 'text', o.name]));
    vtz.addSubcomponent(c);
  }
  return vtz;
}
