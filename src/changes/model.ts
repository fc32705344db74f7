// What an issue listed as sent (its snapshot) and how the next issue differs from it: the vocabulary of src/changes/.
import type { EventStatus, Link } from '../events/model.ts';

export type ChangeKind = 'new' | 'changed' | 'cancelled';

/** The fields of a listed occurrence that differ from what the previous issue said (only those present). */
export interface Was {
  /** ISO 8601 with the offset of the event's zone, or a date for an all-day event. */
  start?: string;
  end?: string;
  location?: string | null;
  title?: string;
}

/** One occurrence as an issue listed it: enough to compare, to render a correction and to answer "what did we say". */
export interface SnapshotItem {
  /** `EVENT-ID|RECURRENCE-ID` (the instance's original start; empty for a one-off or a campaign). */
  key: string;
  eventId: string;
  recurrenceId?: string;
  kind: string;
  title: string;
  allDay: boolean;
  /** As `select --json` prints them: ISO 8601 with offset, or a date for all-day. */
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  timezone: string;
  location: string | null;
  /** When the place is private: what the public archive shows instead (city and region, and where the rest is). */
  publicLocation?: string | null;
  status: EventStatus;
  /** As listed, a private link marked so (the public archive leaves it out). */
  links: Link[];
  /** When `was.location` was a private place: its public form, for the public archive. */
  wasPublicLocation?: string | null;
  /** The badge this issue showed on it; 'cancelled' items are announcements of an earlier issue's occurrence. */
  change: ChangeKind | null;
  was?: Was;
}

/** What an issue listed, written once before its first message and never changed. */
export interface IssueSnapshot {
  takenAt: string;
  /** Window start of the issue the badges were computed against, if any. */
  comparedWith: string | null;
  items: SnapshotItem[];
  /** The listed events (and its "save the date" ones) as loaded, without their source locators: the archive renders these. */
  events: unknown[];
  /** Every event id in the calendar when it was sent: an occurrence of an event not among them is "new" next time. */
  calendarIds: string[];
}

/** One occurrence's badge in the next issue, with what it was when it changed. */
export interface OccurrenceChange {
  change: ChangeKind;
  was?: Was;
  /** The item as the previous issue listed it (for 'changed' and 'cancelled'). */
  before?: SnapshotItem;
}

/** The next issue compared with the previous sent one. */
export interface ChangeSet {
  /** Window start of the issue compared with. */
  since: string;
  /** By occurrence key (occurrenceKey): entries not here carry no badge. */
  byKey: Map<string, OccurrenceChange>;
  /** Occurrences the previous issue listed that are now cancelled or gone while still in this window, as listed then. */
  cancelled: SnapshotItem[];
}
