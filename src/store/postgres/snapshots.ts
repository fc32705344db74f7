// Issue snapshots in PostgreSQL: one row per issue and one per listed occurrence, written once in a transaction.
import type { IssueSnapshot } from '../../changes/model.ts';
import type { Issue } from '../../mail/ledger.ts';
import { itemColumns, snapshotColumns, toSnapshot, type ItemRow, type SnapshotRow } from '../snapshot-rows.ts';
import type { IssueSnapshotRepository } from '../store.ts';
import type { PgDatabase } from './database.ts';

const SQL = {
  insert: `INSERT INTO issue_snapshots (issue_id, taken_at, compared_with, events, calendar_ids) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (issue_id) DO NOTHING`,
  insertItem: `INSERT INTO issue_snapshot_items (issue_id, key, event_id, recurrence_id, kind, title, all_day, start, "end", start_ms, end_ms, timezone, location, public_location, status, links, change, was, was_public_location)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
  get: 'SELECT taken_at, compared_with, events, calendar_ids FROM issue_snapshots WHERE issue_id = $1',
  // The milliseconds are BIGINT, which pg reads back as text: as float8 they come back as numbers (exact to 2^53).
  items: `SELECT key, event_id, recurrence_id, kind, title, all_day, start, "end", start_ms::float8 AS start_ms, end_ms::float8 AS end_ms, timezone,
            location, public_location, was_public_location, status, links, change, was
          FROM issue_snapshot_items WHERE issue_id = $1 ORDER BY start_ms, title, key`,
  latestBefore: `SELECT i.id, i.list, i.window_start AS "windowStart", i.window_end AS "windowEnd", i.timezone, i.subject, i.created_at AS "createdAt"
                 FROM issues i JOIN issue_snapshots s ON s.issue_id = i.id
                 WHERE i.list = $1 AND i.window_start < $2 AND EXISTS (SELECT 1 FROM deliveries d WHERE d.issue_id = i.id AND d.state = 'sent')
                 ORDER BY i.window_start DESC LIMIT 1`,
};

export class PgSnapshots implements IssueSnapshotRepository {
  constructor(private readonly db: PgDatabase) {}

  async record(issueId: number, snapshot: IssueSnapshot): Promise<boolean> {
    // A second sender's insert waits on the first's key, then does nothing: the first snapshot stays.
    return this.db.transaction(async (sql) => {
      if ((await sql.run(SQL.insert, [issueId, ...snapshotColumns(snapshot)])) === 0) return false;
      for (const i of snapshot.items) await sql.run(SQL.insertItem, [issueId, ...itemColumns(i)]);
      return true;
    });
  }

  async get(issueId: number): Promise<IssueSnapshot | undefined> {
    const r = await this.db.row<SnapshotRow>(SQL.get, [issueId]);
    return r && toSnapshot(r, await this.db.rows<ItemRow>(SQL.items, [issueId]));
  }

  async latestBefore(list: string, windowStart: string): Promise<{ issue: Issue; snapshot: IssueSnapshot } | undefined> {
    const issue = await this.db.row<Issue & { id: number }>(SQL.latestBefore, [list, windowStart]);
    if (!issue) return undefined;
    return { issue, snapshot: (await this.get(issue.id))! };
  }
}
