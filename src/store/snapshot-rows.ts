// The issue_snapshots and issue_snapshot_items rows as both dialects read them back, and their domain objects.
import type { IssueSnapshot, SnapshotItem } from '../changes/model.ts';
import type { EventStatus } from '../events/model.ts';

export interface SnapshotRow {
  taken_at: string;
  compared_with: string | null;
  events: string;
  calendar_ids: string;
}

export interface ItemRow {
  key: string;
  event_id: string;
  recurrence_id: string | null;
  kind: string;
  title: string;
  all_day: number;
  start: string;
  end: string;
  start_ms: number;
  end_ms: number;
  timezone: string;
  location: string | null;
  public_location: string | null;
  was_public_location: string | null;
  status: EventStatus;
  links: string;
  change: SnapshotItem['change'];
  was: string | null;
}

export const toItem = (r: ItemRow): SnapshotItem => ({
  key: r.key,
  eventId: r.event_id,
  ...(r.recurrence_id === null ? {} : { recurrenceId: r.recurrence_id }),
  kind: r.kind,
  title: r.title,
  allDay: r.all_day === 1,
  start: r.start,
  end: r.end,
  startMs: r.start_ms,
  endMs: r.end_ms,
  timezone: r.timezone,
  location: r.location,
  ...(r.public_location === null ? {} : { publicLocation: r.public_location }),
  ...(r.was_public_location === null ? {} : { wasPublicLocation: r.was_public_location }),
  status: r.status,
  links: JSON.parse(r.links) as SnapshotItem['links'],
  change: r.change,
  ...(r.was === null ? {} : { was: JSON.parse(r.was) as SnapshotItem['was'] }),
});

/** A snapshot's row as written (the JSON columns as text); `items` are written one row each. */
export const snapshotColumns = (s: IssueSnapshot) => [s.takenAt, s.comparedWith, JSON.stringify(s.events), JSON.stringify(s.calendarIds)] as const;

/** An item's columns in the order both dialects' insert takes them (after issue_id). */
export const itemColumns = (i: SnapshotItem) =>
  [
    i.key,
    i.eventId,
    i.recurrenceId ?? null,
    i.kind,
    i.title,
    i.allDay ? 1 : 0,
    i.start,
    i.end,
    i.startMs,
    i.endMs,
    i.timezone,
    i.location,
    i.publicLocation ?? null,
    i.status,
    JSON.stringify(i.links),
    i.change,
    i.was === undefined ? null : JSON.stringify(i.was),
    i.wasPublicLocation ?? null,
  ] as const;

export const toSnapshot = (r: SnapshotRow, items: readonly ItemRow[]): IssueSnapshot => ({
  takenAt: r.taken_at,
  comparedWith: r.compared_with,
  items: items.map(toItem),
  events: JSON.parse(r.events) as unknown[],
  calendarIds: JSON.parse(r.calendar_ids) as string[],
});
