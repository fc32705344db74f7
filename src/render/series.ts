// Recurring events listed once: a window's occurrences grouped into entries, and a series' "Every Tuesday" lines.
import { expandOccurrences, type Occurrence } from '../calendar/occurrence.ts';
import type { Selection } from '../calendar/select.ts';
import { wallToFloatingMs } from '../calendar/wall-time.ts';
import type { Window } from '../calendar/window.ts';
import { samePlace } from '../events/location.ts';
import type { CalendarEvent, Override } from '../events/model.ts';
import { localDate, type Local } from './english-time.ts';
import { dateList, displayZone, ownZoneNote, shortDate, startDate, timeSpan, whenText } from './when.ts';

/** One entry of the digest: an event with every occurrence it has in the window. */
export interface EntryGroup {
  event: CalendarEvent;
  /** In start order; never empty. */
  occurrences: Occurrence[];
  /** Instances the series would have had in the window but does not (excluded dates, cancelled instances). */
  skipped: Occurrence[];
  /** Instances of this series held at another place, each listed as an entry of its own (they still set its rhythm). */
  elsewhere: Occurrence[];
  /** This entry is one such instance: its title, place and distance are its own. */
  apart?: true;
}

const groupsCache = new WeakMap<Selection, EntryGroup[]>();

/**
 * The selection's entries, in order of their first occurrence: all occurrences of one recurring event
 * become one entry (a campaign listed as a span already is one). Computed once per selection, shared
 * by every variant.
 */
export function entryGroups(selection: Selection): EntryGroup[] {
  const hit = groupsCache.get(selection);
  if (hit) return hit;
  const byEvent = new Map<string, EntryGroup>();
  const elsewhere = new Map<string, Occurrence[]>();
  const groups: EntryGroup[] = [];
  for (const o of selection.occurrences) {
    const series = o.event.recurrence !== undefined && !o.sessions;
    // An entry is at one place: a reader's distance and its "where" line are that place's (src/places/nearby.ts).
    if (series && heldElsewhere(o)) {
      groups.push({ event: o.event, occurrences: [o], skipped: [], elsewhere: [], apart: true });
      elsewhere.set(o.eventId, [...(elsewhere.get(o.eventId) ?? []), o]);
      continue;
    }
    const existing = series ? byEvent.get(o.eventId) : undefined;
    if (existing) {
      existing.occurrences.push(o);
      continue;
    }
    const g: EntryGroup = { event: o.event, occurrences: [o], skipped: [], elsewhere: [] };
    groups.push(g);
    if (series) byEvent.set(o.eventId, g);
  }
  for (const g of byEvent.values()) {
    g.elsewhere = elsewhere.get(g.event.id) ?? [];
    g.skipped = skippedInstances(g, selection.window);
  }
  groupsCache.set(selection, groups);
  return groups;
}

/** The instances an unexcluded, uncancelled copy of the series has in the window that the real one lacks. */
function skippedInstances(g: EntryGroup, win: Window): Occurrence[] {
  const ev = g.event;
  const rec = ev.recurrence;
  const cancelled = ev.overrides.filter((o) => o.status === 'cancelled');
  if (!rec || (rec.exdates.length === 0 && cancelled.length === 0)) return [];
  const whole: CalendarEvent = { ...ev, recurrence: { ...rec, exdates: [] }, overrides: ev.overrides.filter((o) => o.status !== 'cancelled') };
  const present = new Set([...g.occurrences, ...g.elsewhere].map((o) => o.recurrenceId));
  return expandOccurrences(whole, win).filter((o) => !present.has(o.recurrenceId));
}

/** An instance an override holds at another place than its series' (both online is one place: anywhere). */
function heldElsewhere(o: Occurrence): boolean {
  return !samePlace(o.location, o.event.location) && !(o.location?.online && o.event.location?.online);
}

/**
 * The title an entry bears, in the digest, the glance, the subject and the preheader: the series' for a
 * rhythm (a retitled instance has a line of its own), but the instance's own when the entry's date line is
 * that one instance — the only one in the window, the first of instances that all changed, or one listed
 * apart for its place — so "Weekly meeting: special guest Ann Lee" is not shown as "Weekly meeting".
 */
export function entryTitle(g: EntryGroup): string {
  const [first] = g.occurrences;
  if (g.apart || (g.occurrences.length === 1 && g.skipped.length === 0)) return first.title;
  return g.occurrences.some((o) => !changeOf(o)) ? g.event.title : first.title;
}

/** The override that replaced an occurrence with a new time, title or place; undefined for a regular one. */
export function changeOf(o: Occurrence): Override | undefined {
  if (o.recurrenceId === undefined) return undefined;
  const rid = wallToFloatingMs(o.recurrenceId);
  const ov = o.event.overrides.find((x) => wallToFloatingMs(x.recurrenceId) === rid);
  return ov && (ov.title !== undefined || ov.start !== undefined || ov.end !== undefined || ov.location !== undefined) ? ov : undefined;
}

export interface SeriesText {
  when: string;
  /** The dates of a series, and the skipped ones: "Dec 8, 15, 22 · no meeting Dec 29". */
  dates?: string;
  /** Moved or retitled instances, one line each. */
  changes: string[];
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Days since 1970-01-01 (UTC), for the gaps between dates. */
const dayNumber = (l: Local) => new Date(0).setUTCFullYear(l.year, l.month - 1, l.day) / 86_400_000;

/** "Every Tuesday", "Every other Tuesday", "Every Mon, Wed and Fri", "Every day", or "Tuesdays" for an irregular rhythm. */
export function cadence(days: readonly string[]): string {
  const dts = [...new Set(days)].sort().map(localDate);
  const weekdays = [...new Set(dts.map((d) => d.weekday))].sort();
  const gaps = dts.slice(1).map((d, i) => dayNumber(d) - dayNumber(dts[i]));
  if (gaps.length > 0 && gaps.every((g) => g === 1)) return 'Every day';
  const names = weekdays.map((w) => WEEKDAYS[w - 1]);
  if (weekdays.length === 1) {
    if (gaps.every((g) => g === 7)) return `Every ${names[0]}`;
    if (gaps.every((g) => g === 14)) return `Every other ${names[0]}`;
    return `${names[0]}s`;
  }
  const list = (xs: string[]) => `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
  return `Every ${list(weekdays.length === 2 ? names : names.map((n) => n.slice(0, 3)))}`;
}

/**
 * What a reader is told about an entry, in the zone it is shown in. A single occurrence reads as
 * always; a series reads "Every Tuesday · 6:30 – 8:00 PM CST" with its dates, the skipped ones noted
 * and each moved or retitled instance on a line of its own.
 */
export function seriesText(g: EntryGroup, readerZone: string, win: Window): SeriesText {
  const first = g.occurrences[0];
  if (g.occurrences.length === 1 && g.skipped.length === 0) {
    const w = whenText(first, readerZone, win);
    return { when: w.when, dates: w.sessions, changes: [] };
  }
  const zone = displayZone(first, readerZone);
  const regular = g.occurrences.filter((o) => !changeOf(o));
  const changed = g.occurrences.filter((o) => changeOf(o));
  const skipped = g.skipped.length > 0 ? `no meeting ${dateList(g.skipped.map((o) => startDate(o, zone)))}` : undefined;
  const changes = changed.map((o) => changeLine(o, zone, win));
  if (regular.length < 2) {
    const main = regular[0] ?? changed[0];
    return { when: whenText(main, readerZone, win).when, dates: skipped, changes: regular.length === 0 ? changes.slice(1) : changes };
  }
  // The rhythm counts every slot of the series, so a skipped week does not make it "every other".
  const slots = [...regular, ...g.skipped, ...[...changed, ...g.elsewhere].map((o) => ({ ...o, start: o.recurrenceId as string, startMs: slotMs(o) }))].map((o) => startDate(o, zone));
  const pattern = cadence(slots);
  const note = first.allDay || zone === first.timezone ? '' : ownZoneNote(regular[0], zone);
  const byTime = new Map<string, string[]>();
  for (const o of regular) {
    const t = o.allDay ? '' : timeSpan(o.startMs, o.endMs, zone);
    byTime.set(t, [...(byTime.get(t) ?? []), startDate(o, zone)]);
  }
  const tail = skipped ? ` · ${skipped}` : '';
  if (byTime.size === 1) {
    const [t] = byTime.keys();
    return { when: t ? `${pattern} · ${t}${note}` : pattern, dates: dateList(regular.map((o) => startDate(o, zone))) + tail, changes };
  }
  // The time moves within the window (a DST change on one side): each date with its time.
  const dates = [...byTime].map(([t, days]) => `${dateList(days)} · ${t}`).join('; ');
  return { when: pattern, dates: dates + tail, changes };
}

/** The instant an instance was scheduled for, before an override moved it. */
function slotMs(o: Occurrence): number {
  const moved = wallToFloatingMs(o.start) - wallToFloatingMs(o.recurrenceId as string);
  return o.startMs - moved;
}

/** "Dec 15 moved to Thu, Dec 17 · 7:00 – 8:30 PM CST: Holiday Party", or "Tue, Dec 15 · …: Holiday Party". */
function changeLine(o: Occurrence, zone: string, win: Window): string {
  const ov = changeOf(o) as Override;
  const when = whenText(o, zone, win).when;
  const moved = ov.start !== undefined && wallToFloatingMs(ov.start) !== wallToFloatingMs(o.recurrenceId as string);
  const slot = startDate({ allDay: o.allDay, start: o.recurrenceId as string, startMs: slotMs(o) }, zone);
  const head = moved ? `${shortDate(slot)} moved to ${when}` : when;
  const title = ov.title !== undefined && ov.title !== o.event.title ? `: ${ov.title}` : '';
  return head + title;
}
