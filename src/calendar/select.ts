// selectWindow: which occurrences a digest for a window lists, and which events go under "save the date".
import { DateTime } from 'luxon';
import { locationText } from '../events/location.ts';
import type { CalendarEvent } from '../events/model.ts';
import { expandOccurrences, type Occurrence } from './occurrence.ts';
import { instantToIso } from './wall-time.ts';
import { zoneDisplayName } from './zones.ts';
import { windowToJson, type Window } from './window.ts';

export interface SaveTheDatePolicy {
  /** Kinds listed by default when they start after the window. */
  kinds: string[];
  /** How far after the window to look, in months. */
  months: number;
}

export interface Selection {
  window: Window;
  occurrences: Occurrence[];
  saveTheDate: Occurrence[];
}

export function byStartThenTitle(a: Occurrence, b: Occurrence): number {
  return a.startMs - b.startMs || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) || a.eventId.localeCompare(b.eventId);
}

export function selectWindow(events: readonly CalendarEvent[], win: Window, policy: SaveTheDatePolicy): Selection {
  const occurrences: Occurrence[] = [];
  const listed = new Set<string>();
  for (const ev of events) {
    for (const o of expandOccurrences(ev, win)) {
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
    const next = expandOccurrences(ev, ahead).find((o) => !o.ongoing);
    if (next) saveTheDate.push(next);
  }
  saveTheDate.sort(byStartThenTitle);
  return { window: win, occurrences, saveTheDate };
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
