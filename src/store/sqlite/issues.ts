// The issues table in SQLite: one row per (list, window start), created once whoever asks first.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { Issue, IssueFields } from '../../mail/ledger.ts';
import { toIssue, type IssueRow } from '../rows.ts';
import type { IssueRepository } from '../store.ts';

export class SqliteIssues implements IssueRepository {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = {
      insert: db.prepare<[IssueFields & { now: string }]>(
        `INSERT INTO issues (list, window_start, window_end, timezone, subject, created_at)
         VALUES (@list, @windowStart, @windowEnd, @timezone, @subject, @now)
         ON CONFLICT (list, window_start) DO NOTHING`,
      ),
      byKey: db.prepare<[string, string], IssueRow>('SELECT * FROM issues WHERE list = ? AND window_start = ?'),
      all: db.prepare<[], IssueRow>('SELECT * FROM issues ORDER BY window_start DESC'),
      ofList: db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE list = ? ORDER BY window_start DESC'),
    };
  }

  async issueFor(fields: IssueFields): Promise<Issue> {
    this.q.insert.run({ ...fields, now: this.clock.now().toISOString() });
    return toIssue(this.q.byKey.get(fields.list, fields.windowStart)!);
  }

  async find(list: string, windowStart: string): Promise<Issue | undefined> {
    const r = this.q.byKey.get(list, windowStart);
    return r && toIssue(r);
  }

  async list(list?: string): Promise<Issue[]> {
    return (list === undefined ? this.q.all.all() : this.q.ofList.all(list)).map(toIssue);
  }
}
