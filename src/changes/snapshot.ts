// Taking an issue's snapshot (what it listed, all kinds) and reading one back: items for comparing, events for rendering.
import type { Occurrence } from '../calendar/occurrence.ts';
import type { Selection } from '../calendar/select.ts';
import { instantToIso } from '../calendar/wall-time.ts';
import { fullAddress, locationText } from '../events/location.ts';
import { publicEvent, publicLocation } from '../events/private-details.ts';
import type { Calendar, CalendarEvent, Location } from '../events/model.ts';
import type { ChangeSet, IssueSnapshot, SnapshotItem } from './model.ts';

/** An occurrence's identity across issues: its event and the instance's original start (RFC 5545 RECURRENCE-ID). */
export function occurrenceKey(o: Pick<Occurrence, 'eventId' | 'recurrenceId'>): string {
  return `${o.eventId}|${o.recurrenceId ?? ''}`;
}

/** Times as `select --json` prints them: with the event zone's offset, or a date when all-day. */
export function occurrenceTimes(o: Pick<Occurrence, 'allDay' | 'start' | 'end' | 'startMs' | 'endMs' | 'timezone'>): { start: string; end: string } {
  return o.allDay ? { start: o.start, end: o.end } : { start: instantToIso(o.startMs, o.timezone), end: instantToIso(o.endMs, o.timezone) };
}

/** The place as a reader was told it, street included: a new street is a move ("was at …"), not the same place. */
function placeLine(l: Location | undefined): string | null {
  return (l?.online ? undefined : fullAddress(l)) ?? locationText(l);
}

export function itemOf(o: Occurrence): Omit<SnapshotItem, 'change' | 'was'> {
  return {
    key: occurrenceKey(o),
    eventId: o.eventId,
    ...(o.recurrenceId === undefined ? {} : { recurrenceId: o.recurrenceId }),
    kind: o.kind,
    title: o.title,
    allDay: o.allDay,
    ...occurrenceTimes(o),
    startMs: o.startMs,
    endMs: o.endMs,
    timezone: o.timezone,
    location: placeLine(o.location),
    ...(o.location?.private ? { publicLocation: placeLine(publicLocation(o.location)) } : {}),
    status: o.status,
    links: o.links.map((l) => ({ label: l.label, url: l.url, ...(l.private ? { private: true } : {}) })),
  };
}

/** An event as stored: everything but the functions that locate its fields in a source file. */
function storedEvent(e: CalendarEvent): unknown {
  return { ...e, source: { path: e.source.path, uid: e.source.uid }, overrides: e.overrides.map(({ locate: _locate, ...o }) => o) };
}

const nowhere = () => ({ line: 1, col: 1 });

/** The stored events back as CalendarEvents (their findings point at line 1 of the original source). */
export function reviveEvents(events: readonly unknown[]): CalendarEvent[] {
  return events.map((raw) => {
    const e = raw as CalendarEvent;
    return { ...e, source: { ...e.source, locate: nowhere } };
  });
}

/**
 * The issue's snapshot: every occurrence it lists (all kinds, whatever each reader chose) with the
 * badge it carries, the cancelled ones it announces, and the events to render it from again.
 */
export function takeSnapshot(selection: Selection, calendar: Calendar, changes: ChangeSet | undefined, takenAt: Date): IssueSnapshot {
  const items: SnapshotItem[] = selection.occurrences.map((o) => {
    const c = changes?.byKey.get(occurrenceKey(o));
    const wasPrivate = c?.was?.location !== undefined && c.before?.publicLocation !== undefined;
    return { ...itemOf(o), change: c?.change ?? null, ...(c?.was ? { was: c.was } : {}), ...(wasPrivate ? { wasPublicLocation: c.before!.publicLocation } : {}) };
  });
  for (const gone of changes?.cancelled ?? []) items.push({ ...gone, change: 'cancelled', was: undefined });
  const listed = new Set([...selection.occurrences, ...selection.saveTheDate].map((o) => o.event));
  return {
    takenAt: takenAt.toISOString(),
    comparedWith: changes?.since ?? null,
    items,
    events: [...listed].map(storedEvent),
    calendarIds: calendar.events.map((e) => e.id),
  };
}

/** The snapshot as the public archive shows it: private places cut to their public form, private links left out. */
export function publicSnapshot(s: IssueSnapshot): IssueSnapshot {
  const item = (i: SnapshotItem): SnapshotItem => {
    const out: SnapshotItem = { ...i, links: i.links.filter((l) => !l.private) };
    if (i.publicLocation !== undefined) out.location = i.publicLocation;
    if (i.was && i.wasPublicLocation !== undefined) out.was = { ...i.was, location: i.wasPublicLocation };
    return out;
  };
  return { ...s, items: s.items.map(item), events: reviveEvents(s.events).map(publicEvent) };
}

/** The badges an issue showed, read back from its snapshot (the archive shows them as sent). */
export function changeSetOfSnapshot(s: IssueSnapshot): ChangeSet | undefined {
  if (s.comparedWith === null) return undefined;
  const byKey: ChangeSet['byKey'] = new Map();
  for (const i of s.items) if (i.change && i.change !== 'cancelled') byKey.set(i.key, { change: i.change, was: i.was });
  return { since: s.comparedWith, byKey, cancelled: s.items.filter((i) => i.change === 'cancelled') };
}

/** What the issue listed (not the cancelled occurrences it announced). */
export function listedItems(s: IssueSnapshot): SnapshotItem[] {
  return s.items.filter((i) => i.change !== 'cancelled');
}
