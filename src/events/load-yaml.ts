// Loads a YAML or JSON calendar file into Events, with every problem as a located Finding.
import { DateTime } from 'luxon';
import { LineCounter, parseDocument } from 'yaml';
import { yamlToJs } from '../yaml-values.ts';
import { isLocalDate, instantToWall, normalizeLocalDateTime } from '../calendar/wall-time.ts';
import type { Finding } from './finding.ts';
import { locationFromText } from './location.ts';
import { isAllowedUrl } from './rules/link-urls.ts';
import type { AlliedCalendar, CalendarEvent, Location, Override } from './model.ts';
import { locateInDocument, type Path } from './yaml-locate.ts';
import { calendarHeadSchema, describeIssue, eventSchema, type RawEvent } from './yaml-schema.ts';

export interface LoadOptions {
  listTimezone: string;
  defaultKind: string;
}

export interface LoadResult {
  events: CalendarEvent[];
  alliedCalendars: AlliedCalendar[];
  findings: Finding[];
}

export function loadStructuredText(text: string, path: string, format: 'yaml' | 'json', opts: LoadOptions): LoadResult {
  const findings: Finding[] = [];
  const lc = new LineCounter();
  const error = (at: { line: number; col: number }, message: string) =>
    findings.push({ path, line: at.line, col: at.col, severity: 'error', message });
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? positionOf(text, +pos[1]) : { line: 1, col: 1 };
      error(at, `malformed JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`);
      return { events: [], alliedCalendars: [], findings };
    }
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) error(lc.linePos(e.pos[0]), `malformed ${format.toUpperCase()}: ${e.message.split('\n')[0]}`);
    return { events: [], alliedCalendars: [], findings };
  }
  const locate = (p: Path) => locateInDocument(doc, lc, p);
  const values = yamlToJs(doc);
  if (!values.ok) {
    error({ line: 1, col: 1 }, values.problem);
    return { events: [], alliedCalendars: [], findings };
  }
  const head = calendarHeadSchema.safeParse(values.value ?? {});
  if (!head.success) {
    for (const issue of head.error.issues) {
      const d = describeIssue(issue);
      error(locate(d.path), d.message);
    }
    return { events: [], alliedCalendars: [], findings };
  }
  const fileZone = head.data.calendar?.timezone ?? opts.listTimezone;
  const events: CalendarEvent[] = [];
  head.data.events.forEach((raw, i) => {
    const base: Path = ['events', i];
    const locateField = (p: Path) => locate([...base, ...p]);
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const d = describeIssue(issue);
        error(locateField(d.path), d.message);
      }
      return;
    }
    const ev = normalize(parsed.data, { path, locate: locateField, zone: fileZone, defaultKind: opts.defaultKind }, (p, m) =>
      error(locateField(p), m),
    );
    if (ev) events.push(ev);
  });
  const alliedCalendars = head.data.alliedCalendars.map((a, i) => {
    const at = locate(['alliedCalendars', i, a.url === '' ? 'name' : 'url']);
    if (a.url === '') findings.push({ path, ...at, severity: 'warning', message: `allied calendar '${a.name}' has no address` });
    else if (!isAllowedUrl(a.url)) error(at, `allied calendar '${a.name}': '${a.url}' is not an http, https or mailto URL`);
    return { name: a.name, label: a.label, url: isAllowedUrl(a.url) ? a.url : '' };
  });
  return { events, alliedCalendars, findings };
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

interface NormalizeContext {
  path: string;
  locate: (p: Path) => { line: number; col: number };
  zone: string;
  defaultKind: string;
}

type Report = (path: Path, message: string) => void;

/** A time as written: a date, a wall time, or an instant with an offset (taken to the event's zone). */
function parseTime(value: string, zone: string): { allDay: boolean; value: string } | undefined {
  if (isLocalDate(value)) return { allDay: true, value };
  const wall = normalizeLocalDateTime(value);
  if (wall) return { allDay: false, value: wall };
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const dt = DateTime.fromISO(value, { setZone: true });
    if (dt.isValid) return { allDay: false, value: instantToWall(dt.toMillis(), zone) };
  }
  return undefined;
}

const TIME_FORMS = 'a date (YYYY-MM-DD) or a local date-time (YYYY-MM-DDTHH:MM)';

function normalize(raw: RawEvent, ctx: NormalizeContext, report: Report): CalendarEvent | undefined {
  const zone = raw.timezone ?? ctx.zone;
  const start = parseTime(raw.start, zone);
  if (!start) {
    report(['start'], `start: '${raw.start}' is not ${TIME_FORMS}`);
    return undefined;
  }
  const allDay = start.allDay;
  const timeOf = (value: string, p: Path, label: string): string | undefined => {
    const t = parseTime(value, zone);
    if (!t) report(p, `${label}: '${value}' is not ${TIME_FORMS}`);
    else if (t.allDay !== allDay) report(p, `${label}: '${value}' is ${t.allDay ? 'a date' : 'a date-time'} but start is ${allDay ? 'a date' : 'a date-time'}`);
    else return t.value;
    return undefined;
  };
  let ok = true;
  const end = raw.end === undefined ? start.value : timeOf(raw.end, ['end'], 'end');
  if (end === undefined) ok = false;
  const listOf = (values: string[], key: 'exdates' | 'rdates') =>
    values.flatMap((v, i) => {
      // A date excludes a whole day of a timed series too.
      if (key === 'exdates' && !allDay && isLocalDate(v)) return [v];
      const t = timeOf(v, ['recurrence', key, i], key.slice(0, -1));
      if (t === undefined) ok = false;
      return t === undefined ? [] : [t];
    });
  const recurrence = raw.recurrence
    ? { rrule: raw.recurrence.rrule, exdates: listOf(raw.recurrence.exdates, 'exdates'), rdates: listOf(raw.recurrence.rdates, 'rdates') }
    : undefined;
  const overrides: Override[] = raw.overrides.flatMap((o, i) => {
    const p: Path = ['overrides', i];
    const rid = timeOf(o.recurrenceId, [...p, 'recurrenceId'], 'recurrenceId');
    const os = o.start === undefined ? undefined : timeOf(o.start, [...p, 'start'], 'start');
    const oe = o.end === undefined ? undefined : timeOf(o.end, [...p, 'end'], 'end');
    if (rid === undefined || (o.start !== undefined && os === undefined) || (o.end !== undefined && oe === undefined)) {
      ok = false;
      return [];
    }
    const ov: Override = {
      recurrenceId: rid,
      title: o.title,
      start: os,
      end: oe ?? (os !== undefined && end !== undefined ? shiftEnd(start.value, end, os) : undefined),
      status: o.status,
      location: o.location === undefined ? undefined : toLocation(o.location),
      description: o.description,
      links: o.links,
      locate: (q) => ctx.locate([...p, ...q]),
    };
    return [ov];
  });
  if (!ok || end === undefined) return undefined;
  return {
    id: raw.id ?? `${slug(raw.title)}-${start.value.slice(0, 10)}`,
    title: raw.title,
    kind: raw.kind ?? ctx.defaultKind,
    allDay,
    start: start.value,
    end,
    timezone: zone,
    recurrence,
    overrides,
    location: raw.location === undefined ? undefined : toLocation(raw.location),
    links: raw.links,
    description: raw.description,
    organizer: raw.organizer,
    tags: raw.tags,
    status: raw.status,
    saveTheDate: raw.saveTheDate,
    ...(raw.featured ? { featured: true } : {}),
    listAs: raw.listAs,
    source: { path: ctx.path, locate: ctx.locate },
  };
}

/** A moved instance keeps the series' length unless it says otherwise. */
function shiftEnd(start: string, end: string, newStart: string): string {
  const len = Date.parse(`${end.length === 10 ? end + 'T00:00:00' : end}Z`) - Date.parse(`${start.length === 10 ? start + 'T00:00:00' : start}Z`);
  const shifted = new Date(Date.parse(`${newStart.length === 10 ? newStart + 'T00:00:00' : newStart}Z`) + len).toISOString();
  return start.length === 10 ? shifted.slice(0, 10) : shifted.slice(0, 19);
}

/** A location written as text follows the same online rule as an ICS LOCATION ("Online", "Zoom", a URL…). */
function toLocation(loc: string | Location): Location {
  return typeof loc === 'string' ? (locationFromText(loc) ?? { venue: loc }) : loc;
}

function slug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'event';
}
