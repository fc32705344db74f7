// Loads an iCalendar file (Google, Outlook, our own export) into CalendarEvents, reporting findings instead of throwing.
import type { AlliedCalendar, CalendarEvent } from '../model.ts';
import type { Finding, Severity } from '../finding.ts';
import { scanIcs, type RawComponent } from './scan.ts';
import { resolveTzid, tzidToIana } from './zones.ts';
import { valueFor } from './times.ts';
import { ComponentReader } from './reader.ts';
import { buildEvent, buildOverride, type EventContext, type OverrideSpots } from './event.ts';
import { parseAlliedCalendar } from './digest-data.ts';

export interface IcsLoadOptions {
  /** The zone of floating times when the file names none (X-WR-TIMEZONE). */
  listTimezone: string;
  kinds: string[];
  defaultKind: string;
}

export interface IcsLoadResult {
  events: CalendarEvent[];
  alliedCalendars: AlliedCalendar[];
  findings: Finding[];
}

interface Context extends EventContext {
  findings: Finding[];
}

const malformed = (path: string, line: number, message: string): IcsLoadResult => ({
  events: [],
  alliedCalendars: [],
  findings: [{ path, line, col: 1, severity: 'error', message: `malformed iCalendar: ${message}` }],
});

export function loadIcsText(text: string, path: string, opts: IcsLoadOptions): IcsLoadResult {
  try {
    const scan = scanIcs(text);
    if (!scan.ok) return malformed(path, scan.line, scan.message);
    const result: IcsLoadResult = { events: [], alliedCalendars: [], findings: [] };
    for (const calendar of scan.calendars) loadCalendar(calendar, path, opts, result);
    return result;
  } catch (e) {
    // Nothing here is meant to throw; if a library still does, the caller gets a finding, not a crash.
    return malformed(path, 1, (e as Error).message);
  }
}

function report(ctx: Context, r: ComponentReader, subject: string): void {
  const add = (severity: Severity) => (p: { line: number; message: string }) =>
    ctx.findings.push({ path: ctx.path, line: p.line, col: 1, severity, message: `${subject}: ${p.message}` });
  r.problems.forEach(add('error'));
  r.warnings.forEach(add('warning'));
}

/** The calendar-wide settings: how TZIDs resolve, where floating and UTC times go, allied calendars. */
function readCalendar(cal: RawComponent, path: string, opts: IcsLoadOptions, out: IcsLoadResult): Context & { resolve: (tzid: string) => string } {
  const calReader = new ComponentReader(cal, (t) => t);
  const locations = new Map<string, string>();
  for (const tz of cal.components.filter((c) => c.name === 'VTIMEZONE')) {
    const r = new ComponentReader(tz, (t) => t);
    const id = r.text('TZID');
    const location = r.text('X-LIC-LOCATION');
    if (id !== undefined && location !== undefined) locations.set(id.trim(), location.trim());
  }
  const wr = calReader.text('X-WR-TIMEZONE');
  const wrZone = wr === undefined ? undefined : tzidToIana(wr, locations);
  if (wr !== undefined && wrZone === undefined) {
    calReader.warnings.push({
      line: calReader.line('X-WR-TIMEZONE') ?? cal.line,
      message: `X-WR-TIMEZONE ${JSON.stringify(wr)} is not a known time zone; floating times use ${opts.listTimezone}`,
    });
  }
  for (const p of calReader.all('X-EVENT-DIGEST-ALLIED')) {
    try {
      out.alliedCalendars.push(parseAlliedCalendar(String(calReader.property(p)?.getFirstValue())));
    } catch (e) {
      calReader.warnings.push({ line: p.line, message: `ignoring X-EVENT-DIGEST-ALLIED: ${(e as Error).message}` });
    }
  }
  const ctx = {
    path,
    kinds: opts.kinds,
    defaultKind: opts.defaultKind,
    floatingZone: wrZone ?? opts.listTimezone,
    utcZone: wrZone ?? 'UTC',
    findings: out.findings,
    resolve: (tzid: string) => resolveTzid(tzid, locations),
  };
  report(ctx, calReader, 'calendar');
  return ctx;
}

interface Series {
  event: CalendarEvent;
  line: number;
  overrides: OverrideSpots;
}

function loadCalendar(cal: RawComponent, path: string, opts: IcsLoadOptions, out: IcsLoadResult): void {
  const ctx = readCalendar(cal, path, opts, out);
  const readers = cal.components.filter((c) => c.name === 'VEVENT').map((raw) => new ComponentReader(raw, ctx.resolve));
  const uidOf = (r: ComponentReader) => r.text('UID')?.trim();
  // Masters first: Google often writes a moved instance before the series it belongs to.
  const masters = new Map<string, Series>();
  const slots: (CalendarEvent | ComponentReader)[] = [];
  for (const r of readers) {
    const uid = uidOf(r);
    if (uid === undefined) {
      const title = r.text('SUMMARY');
      r.problems.push({ line: r.line('UID') ?? r.raw.line, message: 'missing UID' });
      report(ctx, r, title === undefined ? 'event' : `event ${JSON.stringify(title)}`);
      continue;
    }
    if (r.first('RECURRENCE-ID')) {
      slots.push(r);
      continue;
    }
    const first = masters.get(uid);
    if (first) {
      r.problems.push({ line: r.raw.line, message: `duplicate UID (first at line ${first.line})` });
    } else {
      const overrides: OverrideSpots = [];
      const event = buildEvent(r, uid, ctx, overrides);
      if (event) {
        masters.set(uid, { event, line: r.raw.line, overrides });
        slots.push(event);
      }
    }
    report(ctx, r, `event UID ${uid}`);
  }
  for (const slot of slots) {
    if (!(slot instanceof ComponentReader)) {
      out.events.push(slot);
      continue;
    }
    const uid = uidOf(slot) as string;
    const series = masters.get(uid);
    if (series) {
      attachOverride(slot, series);
    } else {
      const event = standaloneInstance(slot, uid, ctx);
      if (event) out.events.push(event);
    }
    report(ctx, slot, `event UID ${uid}`);
  }
}

function attachOverride(r: ComponentReader, series: Series): void {
  const o = buildOverride(r, series.event);
  if (!o) return;
  const twin = series.event.overrides.findIndex((x) => x.recurrenceId === o.recurrenceId);
  if (twin >= 0) {
    const message = `another override of ${o.recurrenceId} is at line ${series.overrides[twin].line}; this one is ignored`;
    r.warnings.push({ line: r.raw.line, message });
    return;
  }
  series.event.overrides.push(o);
  series.overrides.push({ locate: o.locate, line: r.raw.line });
}

/**
 * An instance whose series is not in the file (an invitation to one occurrence, a partial export)
 * is still a real event: it becomes a one-off with id UID@recurrence-id, the RECURRENCE-ID in its own zone.
 */
function standaloneInstance(r: ComponentReader, uid: string, ctx: EventContext): CalendarEvent | undefined {
  const event = buildEvent(r, uid, ctx, []);
  const rid = event && r.times(r.first('RECURRENCE-ID')!, 'RECURRENCE-ID')?.[0];
  if (!event || !rid) return undefined;
  event.id = `${uid}@${valueFor(rid, event.allDay, event.timezone, event.start.slice(11))}`;
  delete event.recurrence;
  return event;
}
