// Builds one CalendarEvent (or Override) from a VEVENT: times in the event's zone, recurrence, inferred fields, our data.
import type { CalendarEvent, Location, Locator, Override, Recurrence } from '../model.ts';
import { rawValue } from './scan.ts';
import { addDuration, inclusiveEndDate, periodEnd, valueFor, wallIn } from './times.ts';
import type { ComponentReader } from './reader.ts';
import { conferenceUrl, kindAndTags, linksOf, makeLocator, organizerOf, statusOf } from './fields.ts';
import { parseEventDigestData, parseOverrideDigestData } from './digest-data.ts';
import { locationFromText } from '../location.ts';
import { geoOf, scopeOf } from './place-fields.ts';

export interface EventContext {
  path: string;
  kinds: string[];
  defaultKind: string;
  /** Floating times and all-day dates: X-WR-TIMEZONE, else the list's zone. */
  floatingZone: string;
  /** Where UTC (Z) times are shown: X-WR-TIMEZONE, else UTC. */
  utcZone: string;
  /** A TZID's zone key (zones.ts). */
  resolve(tzid: string): string;
}

/** The title of an event without SUMMARY (RFC 5545 makes it optional). */
export const UNTITLED = '(untitled)';

/** Where each override of a series is, for the series' locator; filled as overrides attach. */
export type OverrideSpots = { locate?: Locator; line: number }[];

function readEnd(r: ComponentReader, start: string, allDay: boolean, zone: string, floatingZone: string): string | undefined {
  const dtend = r.first('DTEND');
  if (dtend) {
    const t = r.times(dtend, 'end')?.[0];
    if (!t) return undefined;
    if (allDay) return inclusiveEndDate(start, t, zone);
    // A DATE end of a timed event (Lanyrd writes them): midnight where dates are, the floating zone.
    return t.isDate ? wallIn({ isDate: false, wall: `${t.wall}T00:00:00`, zone: floatingZone, utc: false }, zone) : wallIn(t, zone);
  }
  const duration = r.first('DURATION');
  if (duration) {
    const end = addDuration(start, rawValue(duration.text), allDay, zone);
    if (end === undefined) r.problems.push({ line: duration.line, message: `invalid DURATION ${JSON.stringify(rawValue(duration.text))}` });
    return end;
  }
  return start;
}

interface ReadRecurrence {
  recurrence?: Recurrence;
  exdateLines: number[];
  rdateLines: number[];
}

function readRecurrence(r: ComponentReader, allDay: boolean, zone: string, start: string): ReadRecurrence | undefined {
  const rr = r.first('RRULE');
  // ical.js validates the rule; the model keeps it as written, so UNTIL stays as the file has it.
  if (rr && !r.property(rr)) return undefined;
  const rrule = rr && rawValue(rr.text).trim();
  const timeOfDay = allDay ? '00:00:00' : start.slice(11);
  const collect = (name: string) => {
    const values: string[] = [];
    const lines: number[] = [];
    for (const p of r.all(name)) {
      for (const t of r.times(p, name) ?? []) {
        const value = valueFor(t, allDay, zone, timeOfDay);
        // RDATE;VALUE=PERIOD: the instance has its own end, kept as START/END.
        const end = t.period && periodEnd(value, t.period, allDay, zone);
        if (t.period && end === undefined) r.problems.push({ line: p.line, message: `invalid ${name} period ${JSON.stringify(rawValue(p.text))}` });
        values.push(end === undefined ? value : `${value}/${end}`);
        lines.push(p.line);
      }
    }
    return { values, lines };
  };
  const ex = collect('EXDATE');
  const rd = collect('RDATE');
  const out: ReadRecurrence = { exdateLines: ex.lines, rdateLines: rd.lines };
  if (rrule || ex.values.length > 0 || rd.values.length > 0) {
    out.recurrence = { ...(rrule ? { rrule } : {}), exdates: ex.values, rdates: rd.values };
  }
  return out;
}

/** The event, or undefined when the VEVENT has an error (recorded on the reader). */
export function buildEvent(r: ComponentReader, uid: string, ctx: EventContext, overrides: OverrideSpots): CalendarEvent | undefined {
  const summary = r.text('SUMMARY');
  const summaryLine = r.line('SUMMARY');
  if (summary === undefined && !r.problems.some((p) => p.line === summaryLine)) {
    r.warnings.push({ line: summaryLine ?? r.raw.line, message: `no SUMMARY; listed as ${UNTITLED}` });
  }
  const title = summary ?? UNTITLED;
  const dtstart = r.first('DTSTART');
  if (!dtstart) r.problems.push({ line: r.raw.line, message: 'missing start' });
  const st = dtstart && r.times(dtstart, 'start')?.[0];
  if (!st) return undefined;

  const allDay = st.isDate;
  const zone = allDay ? ctx.floatingZone : st.utc ? ctx.utcZone : (st.zone ?? ctx.floatingZone);
  const start = allDay ? st.wall : wallIn(st, zone);
  const end = readEnd(r, start, allDay, zone, ctx.floatingZone);
  const rec = readRecurrence(r, allDay, zone, start);
  const description = r.text('DESCRIPTION');
  const { kind, tags } = kindAndTags(r.texts('CATEGORIES'), ctx.kinds, ctx.defaultKind);
  const location = locationFromText(r.text('LOCATION'), { conferenceUrl: conferenceUrl(r), description });
  const organizer = organizerOf(r);
  const locate = makeLocator(r.raw, { exdateLines: rec?.exdateLines, rdateLines: rec?.rdateLines, overrides });
  const event: CalendarEvent = {
    id: uid,
    title,
    kind,
    allDay,
    start,
    end: end ?? start,
    timezone: zone,
    overrides: [],
    links: linksOf(r),
    tags,
    status: statusOf(r.text('STATUS')) ?? 'confirmed',
    listAs: 'occurrences',
    source: { path: ctx.path, uid, locate },
  };
  if (rec?.recurrence) event.recurrence = rec.recurrence;
  if (location) event.location = location;
  const geo = geoOf(r);
  if (geo) event.location = { ...event.location, geo };
  const scope = scopeOf(r);
  if (scope) event.scope = scope;
  if (description !== undefined) event.description = description;
  if (organizer !== undefined) event.organizer = organizer;

  const dataProp = r.first('X-EVENT-DIGEST-DATA');
  if (dataProp) {
    try {
      const d = parseEventDigestData(String(r.value(dataProp) ?? ''));
      if (d.id !== undefined) event.id = d.id;
      if (d.kind !== undefined) event.kind = d.kind;
      if (d.timezone !== undefined && allDay) event.timezone = d.timezone;
      if (d.location !== undefined) event.location = d.location;
      if (d.links !== undefined) event.links = d.links;
      if (d.tags !== undefined) event.tags = d.tags;
      if (d.organizer !== undefined) event.organizer = d.organizer;
      if (d.listAs !== undefined) event.listAs = d.listAs;
      if (d.saveTheDate !== undefined) event.saveTheDate = d.saveTheDate;
      if (d.scope !== undefined) event.scope = d.scope;
    } catch (e) {
      r.warnings.push({ line: dataProp.line, message: `ignoring X-EVENT-DIGEST-DATA: ${(e as Error).message}` });
    }
  }
  markPrivateClass(r, event);
  return r.problems.length === 0 ? event : undefined;
}

/** Override times are wall times in the master's zone, so the expander can compare them with its instances. */
export function buildOverride(r: ComponentReader, master: CalendarEvent): Override | undefined {
  const ridProp = r.first('RECURRENCE-ID')!;
  const rid = r.times(ridProp, 'RECURRENCE-ID')?.[0];
  if (!rid) return undefined;
  if (r.param(ridProp, 'range')?.toUpperCase() === 'THISANDFUTURE') {
    r.warnings.push({ line: ridProp.line, message: 'RANGE=THISANDFUTURE is not supported; only this instance is replaced' });
  }
  const { allDay, timezone: zone } = master;
  const timeOfDay = allDay ? '00:00:00' : master.start.slice(11);
  const o: Override = { recurrenceId: valueFor(rid, allDay, zone, timeOfDay) };
  const title = r.text('SUMMARY');
  if (title !== undefined) o.title = title;
  const dtstart = r.first('DTSTART');
  const st = dtstart && r.times(dtstart, 'start')?.[0];
  if (st) o.start = valueFor(st, allDay, zone, timeOfDay);
  const from = o.start ?? o.recurrenceId;
  const dtend = r.first('DTEND');
  const et = dtend && r.times(dtend, 'end')?.[0];
  if (et) o.end = allDay ? inclusiveEndDate(from, et, zone) : valueFor(et, false, zone, '00:00:00');
  const duration = r.first('DURATION');
  if (!dtend && duration) {
    const end = addDuration(from, rawValue(duration.text), allDay, zone);
    if (end === undefined) r.problems.push({ line: duration.line, message: `invalid DURATION ${JSON.stringify(rawValue(duration.text))}` });
    else o.end = end;
  }
  const status = statusOf(r.text('STATUS'));
  if (status) o.status = status;
  const description = r.text('DESCRIPTION');
  if (description !== undefined) o.description = description;
  const location = locationFromText(r.text('LOCATION'), { conferenceUrl: conferenceUrl(r), description });
  if (location) o.location = location;
  // An instance held elsewhere may say where, as its series does: readers' distances start there.
  const geo = geoOf(r);
  if (geo) o.location = { ...o.location, geo };
  const links = linksOf(r);
  if (links.length > 0) o.links = links;

  const dataProp = r.first('X-EVENT-DIGEST-DATA');
  if (dataProp) {
    try {
      const d = parseOverrideDigestData(String(r.value(dataProp) ?? ''));
      for (const f of ['title', 'start', 'end', 'status', 'location', 'description', 'links'] as const) {
        if (!d.fields.includes(f)) delete o[f];
      }
      if (d.location) o.location = d.location;
      if (d.links) o.links = d.links;
    } catch (e) {
      r.warnings.push({ line: dataProp.line, message: `ignoring X-EVENT-DIGEST-DATA: ${(e as Error).message}` });
    }
  }
  markPrivateClass(r, o);
  o.locate = makeLocator(r.raw);
  return r.problems.length === 0 ? o : undefined;
}

/** RFC 5545 CLASS:PRIVATE or CONFIDENTIAL: the location is for subscribers' mail only, not the public pages. */
function markPrivateClass(r: ComponentReader, holder: { location?: Location }): void {
  const cls = r.text('CLASS')?.trim().toUpperCase();
  if (holder.location && (cls === 'PRIVATE' || cls === 'CONFIDENTIAL')) holder.location = { ...holder.location, private: true };
}
