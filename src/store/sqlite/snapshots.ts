// Issue snapshots in SQLite: one row per issue and one per listed occurrence, written once in a transaction.
import type Database from 'better-sqlite3';
import type { IssueSnapshot, SnapshotItem } from '../../changes/model.ts';
import type { EventStatus } from '../../events/model.ts';
import type { Issue } from '../../mail/ledger.ts';
import type { IssueSnapshotRepository } from '../store.ts';

interface SnapshotRow {
  taken_at: string;
  compared_with: string | null;
  events: string;
  calendar_ids: string;
}

interface ItemRow {
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

const toItem = (r: ItemRow): SnapshotItem => ({
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

export class SqliteSnapshots implements IssueSnapshotRepository {
  private readonly q;
  private readonly recordTx: Database.Transaction<(issueId: number, s: IssueSnapshot) => boolean>;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare<[number, string, string | null, string, string]>(
        `INSERT INTO issue_snapshots (issue_id, taken_at, compared_with, events, calendar_ids) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (issue_id) DO NOTHING`,
      ),
      insertItem: db.prepare<[Record<string, unknown>]>(
        `INSERT INTO issue_snapshot_items (issue_id, key, event_id, recurrence_id, kind, title, all_day, start, end, start_ms, end_ms, timezone, location, public_location, status, links, change, was, was_public_location)
         VALUES (@issueId, @key, @eventId, @recurrenceId, @kind, @title, @allDay, @start, @end, @startMs, @endMs, @timezone, @location, @publicLocation, @status, @links, @change, @was, @wasPublicLocation)`,
      ),
      get: db.prepare<[number], SnapshotRow>('SELECT taken_at, compared_with, events, calendar_ids FROM issue_snapshots WHERE issue_id = ?'),
      items: db.prepare<[number], ItemRow>('SELECT * FROM issue_snapshot_items WHERE issue_id = ? ORDER BY start_ms, title, key'),
      latestBefore: db.prepare<[string, string], Issue & { id: number }>(
        `SELECT i.id, i.list, i.window_start AS windowStart, i.window_end AS windowEnd, i.timezone, i.subject, i.created_at AS createdAt
         FROM issues i JOIN issue_snapshots s ON s.issue_id = i.id
         WHERE i.list = ? AND i.window_start < ? AND EXISTS (SELECT 1 FROM deliveries d WHERE d.issue_id = i.id AND d.state = 'sent')
         ORDER BY i.window_start DESC LIMIT 1`,
      ),
    };
    this.recordTx = db.transaction((issueId: number, s: IssueSnapshot) => {
      if (this.q.insert.run(issueId, s.takenAt, s.comparedWith, JSON.stringify(s.events), JSON.stringify(s.calendarIds)).changes === 0) return false;
      for (const i of s.items) {
        this.q.insertItem.run({
          issueId,
          ...i,
          recurrenceId: i.recurrenceId ?? null,
          publicLocation: i.publicLocation ?? null,
          wasPublicLocation: i.wasPublicLocation ?? null,
          allDay: i.allDay ? 1 : 0,
          links: JSON.stringify(i.links),
          was: i.was === undefined ? null : JSON.stringify(i.was),
        });
      }
      return true;
    });
  }

  async record(issueId: number, snapshot: IssueSnapshot): Promise<boolean> {
    return this.recordTx.immediate(issueId, snapshot);
  }

  async get(issueId: number): Promise<IssueSnapshot | undefined> {
    const r = this.q.get.get(issueId);
    if (!r) return undefined;
    return {
      takenAt: r.taken_at,
      comparedWith: r.compared_with,
      items: this.q.items.all(issueId).map(toItem),
      events: JSON.parse(r.events) as unknown[],
      calendarIds: JSON.parse(r.calendar_ids) as string[],
    };
  }

  async latestBefore(list: string, windowStart: string): Promise<{ issue: Issue; snapshot: IssueSnapshot } | undefined> {
    const issue = this.q.latestBefore.get(list, windowStart);
    if (!issue) return undefined;
    return { issue, snapshot: (await this.get(issue.id))! };
  }
}
