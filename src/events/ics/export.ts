// Writes a Calendar as one iCalendar file that other clients read and that loads back into the same events.
import ICAL from 'ical.js';
import type { Calendar, CalendarEvent, Override } from '../model.ts';
import { addDays, floatingMsToWall, wallToFloatingMs } from '../../calendar/wall-time.ts';
import { definedZone, isIanaZone } from '../../calendar/zones.ts';
import { buildVtimezone, definedVtimezone } from './vtimezone.ts';
import { placeText } from '../location.ts';
import { SCOPE_PROPERTY } from './place-fields.ts';
import { alliedCalendarData, eventDigestData, overrideDigestData } from './digest-data.ts';

type Component = InstanceType<typeof ICAL.Component>;

export interface ExportIcsOptions {
  prodId?: string;
  calendarName?: string;
  /** DTSTAMP of every VEVENT: the clock is an argument. */
  now: Date;
}

const DEFAULT_PRODID = '-//event-digest//event-digest//EN';
/** VTIMEZONEs cover at most this many years, so an endless weekly series cannot bloat the file. */
const MAX_ZONE_YEARS = 30;

/** Raw CR or LF in a value would start a new content line: text escaping covers LF only, so fold CRs into LFs. */
const text = (s: string) => s.replace(/\r\n?/g, '\n');
const oneLine = (s: string) => s.replace(/[\r\n]+/g, '');

function textProp(c: Component, name: string, value: string): void {
  c.addProperty(new ICAL.Property([name, {}, 'text', text(value)]));
}

/** A DATE, a UTC DATE-TIME (zone 'UTC') or a DATE-TIME with TZID; one property per value for the widest client support. */
function timeProp(c: Component, name: string, value: string, zone: string): void {
  if (value.length === 10) c.addProperty(new ICAL.Property([name, {}, 'date', value]));
  else if (zone === 'UTC') c.addProperty(new ICAL.Property([name, {}, 'date-time', `${value}Z`]));
  else c.addProperty(new ICAL.Property([name, { tzid: oneLine(exportTzid(zone)) }, 'date-time', value]));
}

/**
 * The TZID a zone is written under: its IANA name; for a zone a calendar defined, the name it
 * was shown under, unless that is an IANA name (the definition differs from tzdata's, so it must
 * not pass for it): then the zone's own key, with the IANA name as X-LIC-LOCATION.
 */
function exportTzid(zone: string): string {
  const d = definedZone(zone);
  return d && !isIanaZone(d.displayName) ? d.displayName : zone;
}

/** An RDATE, or an RDATE;VALUE=PERIOD for an instance with its own end (`START/END`). */
function rdateProp(c: Component, value: string, e: CalendarEvent): void {
  const [from, to] = value.split('/');
  if (to === undefined || e.allDay || e.timezone === 'UTC') {
    timeProp(c, 'rdate', from, e.timezone);
    return;
  }
  c.addProperty(new ICAL.Property(['rdate', { tzid: oneLine(exportTzid(e.timezone)) }, 'period', [from, to]]));
}

/** "venue, city, region", or the join URL of an online event with no venue. */

/** The one-instance length of a series in wall time, so an override without an end gets the series' length. */
function endFor(e: CalendarEvent, start: string): string {
  if (e.allDay) return addDays(start, (wallToFloatingMs(e.end) - wallToFloatingMs(e.start)) / 86_400_000);
  return floatingMsToWall(wallToFloatingMs(start) + wallToFloatingMs(e.end) - wallToFloatingMs(e.start));
}

function addTimes(c: Component, e: CalendarEvent, start: string, end: string): void {
  timeProp(c, 'dtstart', start, e.timezone);
  // All-day DTEND is exclusive; the model's end is the last day.
  timeProp(c, 'dtend', e.allDay ? addDays(end.slice(0, 10), 1) : end, e.timezone);
}

function addDescriptive(c: Component, e: CalendarEvent, o: Partial<Override> = {}): void {
  const location = o.location ?? e.location;
  const where = location && (placeText(location) ?? (location.url || undefined));
  if (where) textProp(c, 'location', where);
  // What other clients understand of a private place (an export with --private); the reader maps it back.
  if (location?.private) textProp(c, 'class', 'PRIVATE');
  if (location?.geo) c.addProperty(new ICAL.Property(['geo', {}, 'float', [location.geo.lat, location.geo.lon]]));
  const url = (o.links ?? e.links).find((l) => l.url !== '')?.url;
  if (url) c.addProperty(new ICAL.Property(['url', {}, 'uri', oneLine(url)]));
  const description = o.description ?? e.description;
  if (description !== undefined) textProp(c, 'description', description);
  c.addProperty(new ICAL.Property(['categories', {}, 'text', ...[e.kind, ...e.tags].map(text)]));
  if (e.organizer && /^[^\s@]+@[^\s@]+$/.test(e.organizer)) {
    c.addProperty(new ICAL.Property(['organizer', {}, 'cal-address', `mailto:${e.organizer}`]));
  }
}

function vevent(e: CalendarEvent, dtstamp: string): Component {
  const c = new ICAL.Component('vevent');
  textProp(c, 'uid', e.id);
  c.addProperty(new ICAL.Property(['dtstamp', {}, 'date-time', dtstamp]));
  textProp(c, 'summary', e.title);
  addTimes(c, e, e.start, e.end);
  const rec = e.recurrence;
  if (rec?.rrule) {
    if (/[\r\n]/.test(rec.rrule)) throw new Error(`event ${e.id}: RRULE contains a line break`);
    // ical.js keeps the parts in the order written, so the rule loads back exactly as it was.
    c.addProperty(new ICAL.Property(ICAL.parse.property(`RRULE:${rec.rrule.replace(/^RRULE:/i, '')}`)));
  }
  for (const d of rec?.exdates ?? []) timeProp(c, 'exdate', d, e.timezone);
  for (const d of rec?.rdates ?? []) rdateProp(c, d, e);
  textProp(c, 'status', e.status.toUpperCase());
  addDescriptive(c, e);
  // Written as people write it by hand (no VALUE=TEXT): the value is one plain word.
  if (e.scope) c.addProperty(new ICAL.Property([SCOPE_PROPERTY.toLowerCase(), {}, 'unknown', e.scope.toUpperCase()]));
  textProp(c, 'x-event-digest-data', JSON.stringify(eventDigestData(e)));
  return c;
}

/** A full VEVENT, as other clients expect; X-EVENT-DIGEST-DATA says which fields the override really sets. */
function overrideVevent(e: CalendarEvent, o: Override, dtstamp: string): Component {
  const c = new ICAL.Component('vevent');
  textProp(c, 'uid', e.id);
  c.addProperty(new ICAL.Property(['dtstamp', {}, 'date-time', dtstamp]));
  timeProp(c, 'recurrence-id', o.recurrenceId, e.timezone);
  textProp(c, 'summary', o.title ?? e.title);
  const start = o.start ?? o.recurrenceId;
  addTimes(c, e, start, o.end ?? endFor(e, start));
  textProp(c, 'status', (o.status ?? e.status).toUpperCase());
  addDescriptive(c, e, o);
  textProp(c, 'x-event-digest-data', JSON.stringify(overrideDigestData(o)));
  return c;
}

function yearOf(value: string | undefined): number | undefined {
  const y = value === undefined ? NaN : Number(value.slice(0, 4));
  return Number.isFinite(y) ? y : undefined;
}

const FREQ_DAYS: Record<string, number> = { YEARLY: 366, MONTHLY: 31, WEEKLY: 7, DAILY: 1, HOURLY: 1 / 24, MINUTELY: 1 / 1440, SECONDLY: 1 / 86400 };

/** The last year a rule can reach: its UNTIL, a generous COUNT estimate, or the cap for endless rules. */
function ruleEndYear(rrule: string, startYear: number): number {
  const part = (name: string) => new RegExp(`(?:^|;)${name}=([^;]*)`, 'i').exec(rrule)?.[1];
  const until = part('UNTIL');
  if (until) return Number(until.slice(0, 4));
  const count = Number(part('COUNT'));
  const days = FREQ_DAYS[(part('FREQ') ?? '').toUpperCase()];
  if (count > 0 && days !== undefined) return startYear + Math.ceil((count * Math.max(1, Number(part('INTERVAL')) || 1) * days) / 365);
  return startYear + MAX_ZONE_YEARS;
}

/** Years each zone must cover: a year either side of everything the events put in it. */
function zoneYears(events: CalendarEvent[]): Map<string, { from: number; to: number }> {
  const spans = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    if (e.allDay || e.timezone === 'UTC' || !(isIanaZone(e.timezone) || definedZone(e.timezone))) continue;
    const rec = e.recurrence;
    const values = [e.start, e.end, ...(rec?.exdates ?? []), ...(rec?.rdates ?? [])];
    for (const o of e.overrides) values.push(o.recurrenceId, o.start ?? o.recurrenceId, o.end ?? o.recurrenceId);
    const years = values.map(yearOf).filter((y): y is number => y !== undefined);
    const from = Math.min(...years) - 1;
    let to = Math.max(...years) + 1;
    if (rec?.rrule) to = Math.max(to, ruleEndYear(rec.rrule, yearOf(e.start) ?? from + 1) + 1);
    const span = spans.get(e.timezone);
    spans.set(e.timezone, { from: Math.min(from, span?.from ?? from), to: Math.max(to, span?.to ?? to) });
  }
  for (const span of spans.values()) span.to = Math.min(span.to, span.from + MAX_ZONE_YEARS - 1);
  return spans;
}

/** RFC 5545 §3.1: lines of at most 75 octets, continued with a space, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n');
}

export function exportIcs(calendar: Calendar, opts: ExportIcsOptions): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addProperty(new ICAL.Property(['version', {}, 'text', '2.0']));
  textProp(cal, 'prodid', opts.prodId ?? DEFAULT_PRODID);
  cal.addProperty(new ICAL.Property(['calscale', {}, 'text', 'GREGORIAN']));
  cal.addProperty(new ICAL.Property(['method', {}, 'text', 'PUBLISH']));
  if (opts.calendarName !== undefined) {
    // Written as clients write it (no VALUE=TEXT), so the escaping is ours.
    const escaped = text(opts.calendarName).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
    cal.addProperty(new ICAL.Property(['x-wr-calname', {}, 'unknown', escaped]));
  }
  for (const a of calendar.alliedCalendars) textProp(cal, 'x-event-digest-allied', alliedCalendarData(a));
  const zones = [...zoneYears(calendar.events)].sort(([a], [b]) => a.localeCompare(b));
  for (const [zone, { from, to }] of zones) {
    const defined = definedZone(zone);
    cal.addSubcomponent(defined ? definedVtimezone(exportTzid(zone), defined) : buildVtimezone(zone, from, to));
  }
  const dtstamp = new Date(Math.floor(opts.now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  for (const e of calendar.events) {
    cal.addSubcomponent(vevent(e, dtstamp));
    for (const o of e.overrides) cal.addSubcomponent(overrideVevent(e, o, dtstamp));
  }
  // ical.js folds continuation lines to 76 octets; unfold and fold again to the RFC's 75.
  const unfolded = cal.toString().replace(/\r\n[ \t]/g, '');
  return `${unfolded.split('\r\n').map(foldLine).join('\r\n')}\r\n`;
}
