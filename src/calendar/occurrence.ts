// Expands one event into the Occurrences that overlap a Window, as instants in the event's own zone.
import { instancePlace } from '../events/location.ts';
import type { CalendarEvent, EventStatus, Link, Location } from '../events/model.ts';
import { allWallInstances, compileSeries, lastWallEnd, wallInstances, type WallInstance, type WallInstances } from './recurrence.ts';
import { floatingMsToDate, floatingMsToWall, floatingToInstantMs, instantToWall, wallToFloatingMs } from './wall-time.ts';
import type { Window } from './window.ts';
import { zoneFor } from './zones.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Occurrences of one event listed per window, at most, unless the configuration says otherwise (maxInstancesPerEvent). */
export const DEFAULT_MAX_INSTANCES = 500;

export interface Session {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
}

export interface Occurrence {
  event: CalendarEvent;
  eventId: string;
  title: string;
  kind: string;
  allDay: boolean;
  /** All-day: `YYYY-MM-DD`; timed: wall time in `timezone`. */
  start: string;
  /** All-day: the last day (inclusive); timed: wall time in `timezone`. */
  end: string;
  /** Instants; all-day ones at midnight in `timezone`, end exclusive. */
  startMs: number;
  endMs: number;
  timezone: string;
  /** Began before the window. */
  ongoing: boolean;
  /** The instance of a recurring event this is. */
  recurrenceId?: string;
  status: EventStatus;
  location?: Location;
  links: Link[];
  description?: string;
  /** listAs 'span': the sessions that fall in the window. */
  sessions?: Session[];
}

interface Bounds {
  fromF: number;
  toF: number;
  /** How far before fromF an instance may start in wall time and still overlap the window. */
  padF: number;
}

/** Per window and zone, the window's bounds as floating ms in that zone (luxon is the costly part). */
const boundsCache = new WeakMap<Window, Map<string, Bounds>>();

/**
 * The wall time of the window's start in the event's zone is exact; an instance near it can be off
 * by an offset change around it (a DST change, Samoa's skipped day). A minute more covers seconds.
 * Kept tight so the instances of a rule that repeats every second are not spent before the window.
 */
function edgePad(zone: string, ms: number): number {
  const z = zoneFor(zone);
  const at = z.offset(ms);
  return Math.max(Math.abs(z.offset(ms - DAY) - at), Math.abs(z.offset(ms + DAY) - at)) * MINUTE + MINUTE;
}

function floatingBounds(win: Window, zone: string, allDay: boolean): Bounds {
  if (allDay) return { fromF: wallToFloatingMs(win.startDate), toF: wallToFloatingMs(win.endDate), padF: DAY };
  let perZone = boundsCache.get(win);
  if (!perZone) boundsCache.set(win, (perZone = new Map()));
  let b = perZone.get(zone);
  if (!b) {
    b = { fromF: wallToFloatingMs(instantToWall(win.startMs, zone)), toF: wallToFloatingMs(instantToWall(win.endMs, zone)), padF: edgePad(zone, win.startMs) };
    perZone.set(zone, b);
  }
  return b;
}

function toOccurrence(event: CalendarEvent, inst: WallInstance, win: Window): Occurrence {
  const ov = inst.override;
  const zone = event.timezone;
  const start = event.allDay ? floatingMsToDate(inst.startF) : floatingMsToWall(inst.startF);
  const end = event.allDay ? floatingMsToDate(Math.max(inst.startF, inst.endF - DAY)) : floatingMsToWall(inst.endF);
  const startMs = floatingToInstantMs(inst.startF, zone);
  const endMs = floatingToInstantMs(inst.endF, zone);
  return {
    event,
    eventId: event.id,
    title: ov?.title ?? event.title,
    kind: event.kind,
    allDay: event.allDay,
    start,
    end,
    startMs,
    endMs,
    timezone: zone,
    ongoing: event.allDay ? start < win.startDate : startMs < win.startMs,
    recurrenceId: inst.recurrenceId,
    status: ov?.status ?? event.status,
    location: ov?.location ? instancePlace(ov.location, event.location) : event.location,
    links: ov?.links ?? event.links,
    description: ov?.description ?? event.description,
  };
}

function overlaps(event: CalendarEvent, o: Occurrence, win: Window): boolean {
  if (event.allDay) return o.start < win.endDate && o.end >= win.startDate;
  if (o.endMs === o.startMs) return o.startMs >= win.startMs && o.startMs < win.endMs;
  return o.startMs < win.endMs && o.endMs > win.startMs;
}

/** An event's occurrences in a window, and why there may be more than were listed. */
export interface Expanded {
  occurrences: Occurrence[];
  /** `limit`: more than maxInstances overlap the window (the first are listed); `budget`: the rule was cut short (sub-daily.ts). */
  cut?: WallInstances['stopped'];
}

/** The occurrences of an event that overlap the window, at most `maxInstances`; cancelled ones and excluded dates are gone. */
export function expandEvent(event: CalendarEvent, win: Window, maxInstances = DEFAULT_MAX_INSTANCES): Expanded {
  if (event.status === 'cancelled') return { occurrences: [] };
  if (event.listAs === 'span' && event.recurrence) return { occurrences: spanOccurrence(event, win) };
  const { fromF, toF, padF } = floatingBounds(win, event.timezone, event.allDay);
  // The padding covers the offset changes around the edges; the exact test is done on instants.
  const lo = fromF - padF;
  const hi = toF + DAY;
  if (!event.recurrence) {
    const startF = wallToFloatingMs(event.start);
    const endF = wallToFloatingMs(event.end) + (event.allDay ? DAY : 0);
    if (startF > hi || endF < lo) return { occurrences: [] };
  }
  const series = compileSeries(event);
  const occurrences: Occurrence[] = [];
  // One more than listed, to know that there are more.
  const { instances, stopped } = wallInstances(event, lo - series.durationMs, hi, maxInstances + 1);
  for (const inst of instances) {
    const o = toOccurrence(event, inst, win);
    if (o.status !== 'cancelled' && overlaps(event, o, win)) occurrences.push(o);
  }
  if (occurrences.length > maxInstances) return { occurrences: occurrences.slice(0, maxInstances), cut: 'limit' };
  // The rule stopped at its limit with some of its starts before the window: there are more in it.
  return stopped ? { occurrences, cut: stopped } : { occurrences };
}

/** The occurrences of an event that overlap the window (at most the default number). */
export function expandOccurrences(event: CalendarEvent, win: Window): Occurrence[] {
  return expandEvent(event, win).occurrences;
}

/** A campaign listed once: from its first to its last session, with the sessions inside the window. */
function spanOccurrence(event: CalendarEvent, win: Window): Occurrence[] {
  const sessions = allWallInstances(event)
    .instances.map((i) => toOccurrence(event, i, win))
    .filter((o) => o.status !== 'cancelled');
  if (sessions.length === 0) return [];
  const first = sessions[0];
  const last = sessions.reduce((a, b) => (b.endMs > a.endMs ? b : a));
  const span: Occurrence = {
    ...first,
    title: event.title,
    end: last.end,
    endMs: last.endMs,
    recurrenceId: undefined,
    location: event.location,
    links: event.links,
    description: event.description,
  };
  if (!overlaps(event, span, win)) return [];
  span.sessions = sessions
    .filter((s) => overlaps(event, s, win))
    .map((s) => ({ start: s.start, end: s.end, startMs: s.startMs, endMs: s.endMs }));
  return [span];
}

/** Instances looked at to find where a series ends: enough for any calendar's, cheap for a file of thousands of hostile ones. */
const SERIES_END_CAP = 1000;

/**
 * When the event's last occurrence ends (Infinity for an endless series), undefined if it has none;
 * with `after`, any end more than two days (more than any zone's offset) past it is Infinity, since
 * the caller only asks whether it is over, and the conversion to an instant is most of the cost.
 */
export function seriesEndMs(event: CalendarEvent, after = -Infinity): number | undefined {
  const series = compileSeries(event);
  if (!series.finite) return Infinity;
  const endF = lastWallEnd(event, SERIES_END_CAP);
  // More instances than were expanded: where it ends is not known here, so it is not called over.
  if (endF === 'stopped') return Infinity;
  if (endF === undefined) return undefined;
  return endF > after + 2 * DAY ? Infinity : floatingToInstantMs(endF, event.timezone);
}
