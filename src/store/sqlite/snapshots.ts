// Issue snapshots in SQLite: one row per issue and one per listed occurrence, written once in a transaction.
import type Database from 'better-sqlite3';
import type { IssueSnapshot } from '../../changes/model.ts';
import type { Issue } from '../../mail/ledger.ts';
import { itemColumns, snapshotColumns, toSnapshot, type ItemRow, type SnapshotRow } from '../snapshot-rows.ts';
import type { IssueSnapshotRepository } from '../store.ts';

export class SqliteSnapshots implements IssueSnapshotRepository {
  private readonly q;
  private readonly recordTx: Database.Transaction<(issueId: number, s: IssueSnapshot) => boolean>;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare<[number, string, string | null, string, string]>(
        `INSERT INTO issue_snapshots (issue_id, taken_at, compared_with, events, calendar_ids) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (issue_id) DO NOTHING`,
      ),
      insertItem: db.prepare<unknown[]>(
        `INSERT INTO issue_snapshot_items (issue_id, key, event_id, recurrence_id, kind, title, all_day, start, end, start_ms, end_ms, timezone, location, public_location, status, links, change, was, was_public_location)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      if (this.q.insert.run(issueId, ...snapshotColumns(s)).changes === 0) return false;
      for (const i of s.items) this.q.insertItem.run(issueId, ...itemColumns(i));
      return true;
    });
  }

  async record(issueId: number, snapshot: IssueSnapshot): Promise<boolean> {
    return this.recordTx.immediate(issueId, snapshot);
  }

  async get(issueId: number): Promise<IssueSnapshot | undefined> {
    const r = this.q.get.get(issueId);
    return r && toSnapshot(r, this.q.items.all(issueId));
  }

  async latestBefore(list: string, windowStart: string): Promise<{ issue: Issue; snapshot: IssueSnapshot } | undefined> {
    const issue = this.q.latestBefore.get(list, windowStart);
    if (!issue) return undefined;
    return { issue, snapshot: (await this.get(issue.id))! };
  }
}
