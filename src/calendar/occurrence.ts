// Expands one event into the Occurrences that overlap a Window, as instants in the event's own zone.
import type { CalendarEvent, EventStatus, Link, Location } from '../events/model.ts';
import { allWallInstances, compileSeries, wallInstances, type WallInstance } from './recurrence.ts';
import { floatingMsToDate, floatingMsToWall, floatingToInstantMs, instantToWall, wallToFloatingMs } from './wall-time.ts';
import type { Window } from './window.ts';

const DAY = 86_400_000;

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

/** Per window and zone, the window's bounds as floating ms in that zone (luxon is the costly part). */
const boundsCache = new WeakMap<Window, Map<string, { fromF: number; toF: number }>>();

function floatingBounds(win: Window, zone: string, allDay: boolean): { fromF: number; toF: number } {
  if (allDay) return { fromF: wallToFloatingMs(win.startDate), toF: wallToFloatingMs(win.endDate) };
  let perZone = boundsCache.get(win);
  if (!perZone) boundsCache.set(win, (perZone = new Map()));
  let b = perZone.get(zone);
  if (!b) {
    b = { fromF: wallToFloatingMs(instantToWall(win.startMs, zone)), toF: wallToFloatingMs(instantToWall(win.endMs, zone)) };
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
    location: ov?.location ?? event.location,
    links: ov?.links ?? event.links,
    description: ov?.description ?? event.description,
  };
}

function overlaps(event: CalendarEvent, o: Occurrence, win: Window): boolean {
  if (event.allDay) return o.start < win.endDate && o.end >= win.startDate;
  if (o.endMs === o.startMs) return o.startMs >= win.startMs && o.startMs < win.endMs;
  return o.startMs < win.endMs && o.endMs > win.startMs;
}

/** The occurrences of an event that overlap the window; cancelled ones and excluded dates are gone. */
export function expandOccurrences(event: CalendarEvent, win: Window): Occurrence[] {
  if (event.status === 'cancelled') return [];
  if (event.listAs === 'span' && event.recurrence) return spanOccurrence(event, win);
  const { fromF, toF } = floatingBounds(win, event.timezone, event.allDay);
  // A day of padding on each side covers any UTC offset; the exact test is done on instants.
  const lo = fromF - DAY;
  const hi = toF + DAY;
  if (!event.recurrence) {
    const startF = wallToFloatingMs(event.start);
    const endF = wallToFloatingMs(event.end) + (event.allDay ? DAY : 0);
    if (startF > hi || endF < lo) return [];
  }
  const series = compileSeries(event);
  const out: Occurrence[] = [];
  for (const inst of wallInstances(event, lo - series.durationMs, hi)) {
    const o = toOccurrence(event, inst, win);
    if (o.status !== 'cancelled' && overlaps(event, o, win)) out.push(o);
  }
  return out;
}

/** A campaign listed once: from its first to its last session, with the sessions inside the window. */
function spanOccurrence(event: CalendarEvent, win: Window): Occurrence[] {
  const sessions = allWallInstances(event)
    .map((i) => toOccurrence(event, i, win))
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

/** When the event's last occurrence ends (Infinity for an endless series); undefined if it has none. */
export function seriesEndMs(event: CalendarEvent): number | undefined {
  const series = compileSeries(event);
  if (!series.finite) return Infinity;
  const insts = allWallInstances(event);
  if (insts.length === 0) return undefined;
  const endF = Math.max(...insts.map((i) => i.endF));
  return floatingToInstantMs(endF, event.timezone);
}
