// selectWindow: which occurrences a digest for a window lists, and which events go under "save the date".
import { DateTime } from 'luxon';
import { locationText } from '../events/location.ts';
import type { CalendarEvent } from '../events/model.ts';
import type { Finding } from '../events/finding.ts';
import { DEFAULT_MAX_INSTANCES, expandEvent, type Expanded, type Occurrence } from './occurrence.ts';
import { instantToIso } from './wall-time.ts';
import { zoneDisplayName } from './zones.ts';
import { windowToJson, type Window } from './window.ts';

export interface SaveTheDatePolicy {
  /** Kinds listed by default when they start after the window. */
  kinds: string[];
  /** How far after the window to look, in months. */
  months: number;
}

/** What selection needs from the configuration: "save the date", and the cap on one event's occurrences per window. */
export interface SelectionPolicy extends SaveTheDatePolicy {
  maxInstancesPerEvent?: number;
}

/** An event with more occurrences in the window than were listed. */
export interface CutEvent {
  event: CalendarEvent;
  listed: number;
  /** Its own cap, the rule's step budget, or the window's total (WINDOW_TOTAL_FACTOR). */
  cut: NonNullable<Expanded['cut']> | 'total';
}

/**
 * A window lists at most this many times maxInstancesPerEvent occurrences in all (10,000 by
 * default): a 1 MB file of 6,000 events repeating every second would otherwise give 3 million,
 * a minute and gigabytes to build. Events are expanded one-offs first, then recurring ones, then
 * those that repeat within a day, so the total cuts the dense ones.
 */
export const WINDOW_TOTAL_FACTOR = 20;

/** 0: one-off, 1: a rule that fires at most a few times a day, 2: one that repeats within a day (HOURLY… or BYHOUR/BYMINUTE/BYSECOND). */
function density(ev: CalendarEvent): number {
  const rule = ev.recurrence?.rrule;
  if (!rule) return 0;
  return /FREQ=(HOURLY|MINUTELY|SECONDLY)|BY(HOUR|MINUTE|SECOND)=/i.test(rule) ? 2 : 1;
}

export interface Selection {
  window: Window;
  occurrences: Occurrence[];
  saveTheDate: Occurrence[];
  /** Events whose occurrences were cut at the cap (or whose rule was cut short): each a warning. */
  cut: CutEvent[];
  maxInstancesPerEvent: number;
}

export function byStartThenTitle(a: Occurrence, b: Occurrence): number {
  return a.startMs - b.startMs || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) || a.eventId.localeCompare(b.eventId);
}

/** Occurrences looked at for an event's "save the date" line. */
const SAVE_THE_DATE_LOOK = 50;

export function selectWindow(events: readonly CalendarEvent[], win: Window, policy: SelectionPolicy): Selection {
  const max = policy.maxInstancesPerEvent ?? DEFAULT_MAX_INSTANCES;
  const total = max * WINDOW_TOTAL_FACTOR;
  const occurrences: Occurrence[] = [];
  const cut: CutEvent[] = [];
  const listed = new Set<string>();
  const ordered = events.map((ev, i) => ({ ev, i, d: density(ev) })).sort((a, b) => a.d - b.d || a.i - b.i);
  for (const { ev } of ordered) {
    const room = Math.min(max, total - occurrences.length);
    if (room <= 0 && density(ev) === 2) {
      // The window is full and this one repeats within a day: not even expanded.
      cut.push({ event: ev, listed: 0, cut: 'total' });
      listed.add(ev.id);
      continue;
    }
    const expanded = expandEvent(ev, win, room);
    if (expanded.cut) {
      cut.push({ event: ev, listed: expanded.occurrences.length, cut: expanded.cut === 'limit' && room < max ? 'total' : expanded.cut });
      // Not looked for again under "save the date": it is in the window.
      listed.add(ev.id);
    }
    for (const o of expanded.occurrences) {
      occurrences.push(o);
      listed.add(ev.id);
    }
  }
  occurrences.sort(byStartThenTitle);

  const horizonMs = DateTime.fromMillis(win.endMs, { zone: win.zone }).plus({ months: policy.months }).toMillis();
  const ahead: Window = {
    startMs: win.endMs,
    endMs: horizonMs,
    zone: win.zone,
    startDate: win.endDate,
    endDate: DateTime.fromMillis(horizonMs, { zone: win.zone }).toISODate() as string,
  };
  const saveTheDate: Occurrence[] = [];
  for (const ev of events) {
    if (listed.has(ev.id) || ev.saveTheDate === false) continue;
    if (ev.saveTheDate !== true && !policy.kinds.includes(ev.kind)) continue;
    // The first start after the window is among its first few occurrences there.
    const next = expandEvent(ev, ahead, SAVE_THE_DATE_LOOK).occurrences.find((o) => !o.ongoing);
    if (next) saveTheDate.push(next);
  }
  saveTheDate.sort(byStartThenTitle);
  return { window: win, occurrences, saveTheDate, cut, maxInstancesPerEvent: max };
}

/** The cut events as warnings at their RRULE, the way `check` shows findings. */
export function cutFindings(sel: Selection): Finding[] {
  return sel.cut.map(({ event, listed, cut }) => {
    const at = event.source.locate(['recurrence', 'rrule']);
    const who = event.source.uid ? `event UID ${event.source.uid}` : `event '${event.title}'`;
    const win = `the window ${sel.window.startDate} – ${sel.window.endDate}`;
    const why =
      cut === 'limit'
        ? `more than ${sel.maxInstancesPerEvent} occurrences in ${win}; the first ${listed} are listed (maxInstancesPerEvent)`
        : cut === 'total'
          ? `${win} already lists ${sel.maxInstancesPerEvent * WINDOW_TOTAL_FACTOR} occurrences, the most it takes; ${listed} of this event's are listed`
          : `its rule was expanded as far as allowed without reaching the end of ${win}; ${listed} occurrences are listed`;
    return { path: event.source.path, line: at.line, col: at.col, severity: 'warning' as const, message: `${who}: ${why}` };
  });
}

export function occurrenceUrl(o: Occurrence): string | null {
  return o.links.find((l) => l.url !== '')?.url ?? o.location?.url ?? null;
}

function occurrenceToJson(o: Occurrence) {
  const time = (wall: string, ms: number) => (o.allDay ? wall : instantToIso(ms, o.timezone));
  return {
    eventId: o.eventId,
    title: o.title,
    kind: o.kind,
    start: time(o.start, o.startMs),
    end: time(o.end, o.endMs),
    allDay: o.allDay,
    timezone: zoneDisplayName(o.timezone),
    ongoing: o.ongoing,
    location: locationText(o.location),
    url: occurrenceUrl(o),
    ...(o.sessions ? { sessions: o.sessions.map((s) => ({ start: time(s.start, s.startMs), end: time(s.end, s.endMs) })) } : {}),
  };
}

/** The `select --json` document, exactly as the contract shapes it. */
export function selectionToJson(sel: Selection) {
  return {
    window: windowToJson(sel.window),
    occurrences: sel.occurrences.map(occurrenceToJson),
    saveTheDate: sel.saveTheDate.map(occurrenceToJson),
  };
}
