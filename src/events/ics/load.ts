// Loads an iCalendar file (Google, Outlook, our own export) into CalendarEvents, reporting findings instead of throwing.
import type { AlliedCalendar, CalendarEvent } from '../model.ts';
import type { Finding, Severity } from '../finding.ts';
import { isKnownZone } from '../../calendar/zones.ts';
import { rawValue, scanIcs, type RawComponent } from './scan.ts';
import { ZoneResolver } from './zones.ts';
import { valueFor } from './times.ts';
import { ComponentReader } from './reader.ts';
import { buildEvent, buildOverride, type EventContext, type OverrideSpots } from './event.ts';
import { parseAlliedCalendar } from './digest-data.ts';
import { derivedUid, revisionText, supersedes } from './revision.ts';

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

/** An event's problems spoil that event only: they are marked so a source that skips invalid events can. */
function report(ctx: Context, r: ComponentReader, subject: string, eventOnly: boolean): void {
  const add = (severity: Severity) => (p: { line: number; message: string }) =>
    ctx.findings.push({ path: ctx.path, line: p.line, col: 1, severity, message: `${subject}: ${p.message}`, ...(eventOnly && severity === 'error' ? { eventOnly } : {}) });
  r.problems.forEach(add('error'));
  r.warnings.forEach(add('warning'));
}

/** The years the events' start times name, so zones the file defines are compared with tzdata where it matters. */
function eventYears(events: RawComponent[]): { from: number; to: number } {
  const years = events.flatMap((e) => e.properties.filter((p) => p.name === 'DTSTART').map((p) => Number(/\d{4}/.exec(rawValue(p.text))?.[0])));
  const known = years.filter((y) => y > 1800 && y < 2200);
  if (known.length === 0) return { from: 2000, to: 2030 };
  return { from: Math.min(...known) - 1, to: Math.max(...known) + 2 };
}

/** The calendar-wide settings: how TZIDs resolve, where floating and UTC times go, allied calendars. */
function readCalendar(cal: RawComponent, path: string, opts: IcsLoadOptions, out: IcsLoadResult): Context {
  const calReader = new ComponentReader(cal, (t) => t);
  const zones = new ZoneResolver(
    cal.components.filter((c) => c.name === 'VTIMEZONE'),
    eventYears(cal.components.filter((c) => c.name === 'VEVENT')),
  );
  const wr = calReader.text('X-WR-TIMEZONE');
  const wrZone = wr === undefined ? undefined : zones.resolve(wr);
  const wrKnown = wrZone !== undefined && isKnownZone(wrZone) ? wrZone : undefined;
  if (wr !== undefined && wrKnown === undefined) {
    calReader.warnings.push({
      line: calReader.line('X-WR-TIMEZONE') ?? cal.line,
      message: `X-WR-TIMEZONE ${JSON.stringify(wr)} is not a known time zone; floating times use ${opts.listTimezone}`,
    });
  }
  for (const p of calReader.all('X-EVENT-DIGEST-ALLIED')) {
    try {
      out.alliedCalendars.push(parseAlliedCalendar(String(calReader.value(p))));
    } catch (e) {
      calReader.warnings.push({ line: p.line, message: `ignoring X-EVENT-DIGEST-ALLIED: ${(e as Error).message}` });
    }
  }
  const ctx: Context = {
    path,
    kinds: opts.kinds,
    defaultKind: opts.defaultKind,
    floatingZone: wrKnown ?? opts.listTimezone,
    utcZone: wrKnown ?? 'UTC',
    findings: out.findings,
    resolve: (tzid: string) => zones.resolve(tzid),
  };
  report(ctx, calReader, 'calendar', false);
  return ctx;
}

interface Series {
  event: CalendarEvent;
  reader: ComponentReader;
  overrides: OverrideSpots;
  /** The VEVENT behind each attached override, by RECURRENCE-ID, to settle a second one by SEQUENCE (made with the first). */
  overrideReaders?: Map<string, ComponentReader>;
}

const subjectOf = (uid: string) => `event UID ${uid}`;

function loadCalendar(cal: RawComponent, path: string, opts: IcsLoadOptions, out: IcsLoadResult): void {
  const ctx = readCalendar(cal, path, opts, out);
  const readers = cal.components.filter((c) => c.name === 'VEVENT').map((raw) => new ComponentReader(raw, ctx.resolve));
  const uids = new Map<ComponentReader, string>();
  for (const r of readers) {
    const uid = r.text('UID')?.trim();
    if (uid !== undefined) {
      uids.set(r, uid);
      continue;
    }
    const derived = derivedUid(r);
    r.warnings.push({ line: r.raw.line, message: `no UID; its id is derived from its content` });
    uids.set(r, derived);
  }
  // Of several VEVENTs for one UID, the current revision (RFC 5546) is the master; the others are reported.
  const current = new Map<string, ComponentReader>();
  const instances: ComponentReader[] = [];
  for (const r of readers) {
    if (r.first('RECURRENCE-ID')) {
      instances.push(r);
      continue;
    }
    const uid = uids.get(r)!;
    const held = current.get(uid);
    if (!held) current.set(uid, r);
    else if (supersedes(r, held)) {
      held.warnings.push({ line: held.raw.line, message: `an older revision of the event at line ${r.raw.line} (${revisionText(r)} is kept)` });
      current.set(uid, r);
    } else {
      r.warnings.push({ line: r.raw.line, message: `another VEVENT with this UID is at line ${held.raw.line}; this one (${revisionText(r)}) is an older revision and is ignored` });
    }
  }
  const masters = new Map<string, Series>();
  for (const [uid, r] of current) {
    const overrides: OverrideSpots = [];
    const event = buildEvent(r, uid, ctx, overrides);
    r.release();
    if (event) masters.set(uid, { event, reader: r, overrides });
  }
  // Google often writes a moved instance before the series it belongs to: overrides attach once every master is known.
  const standalone: CalendarEvent[] = [];
  for (const r of instances) {
    const uid = uids.get(r)!;
    const series = masters.get(uid);
    if (series) attachOverride(r, series);
    else if (!current.has(uid)) {
      const event = standaloneInstance(r, uid, ctx);
      if (event) standalone.push(event);
    }
  }
  for (const r of readers) report(ctx, r, subjectOf(uids.get(r)!), true);
  // In file order, the way the calendar lists them.
  const order = new Map(readers.map((r, i) => [r.raw.line, i]));
  const events = [...[...masters.values()].map((s) => ({ line: s.reader.raw.line, event: s.event })), ...standalone.map((e) => ({ line: lineOfEvent(e), event: e }))];
  events.sort((a, b) => (order.get(a.line) ?? 0) - (order.get(b.line) ?? 0));
  out.events.push(...events.map((x) => x.event));
}

const lineOfEvent = (e: CalendarEvent) => e.source.locate([]).line;

/** Attaches an override to its series; of two for one instance, the higher SEQUENCE wins. */
function attachOverride(r: ComponentReader, series: Series): void {
  const o = buildOverride(r, series.event);
  if (!o) return;
  const twin = series.event.overrides.findIndex((x) => x.recurrenceId === o.recurrenceId);
  if (twin >= 0) {
    const other = series.overrideReaders!.get(o.recurrenceId)!;
    if (!supersedes(r, other)) {
      r.warnings.push({ line: r.raw.line, message: `another override of ${o.recurrenceId} is at line ${other.raw.line} (${revisionText(other)}); this one is ignored` });
      return;
    }
    other.warnings.push({ line: other.raw.line, message: `the override of ${o.recurrenceId} at line ${r.raw.line} (${revisionText(r)}) replaces this one` });
    series.event.overrides[twin] = o;
    series.overrides[twin] = { locate: o.locate, line: r.raw.line };
    series.overrideReaders!.set(o.recurrenceId, r);
    return;
  }
  series.event.overrides.push(o);
  series.overrides.push({ locate: o.locate, line: r.raw.line });
  (series.overrideReaders ??= new Map()).set(o.recurrenceId, r);
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
