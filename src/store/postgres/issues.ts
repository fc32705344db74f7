// The issues table in PostgreSQL: one row per (list, window start), created once whoever asks first.
import type { Clock } from '../../clock.ts';
import type { Issue, IssueFields } from '../../mail/ledger.ts';
import { toIssue, type IssueRow } from '../rows.ts';
import type { IssueRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  insert: `INSERT INTO issues (list, window_start, window_end, timezone, subject, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (list, window_start) DO NOTHING`,
  byKey: 'SELECT * FROM issues WHERE list = $1 AND window_start = $2',
  all: 'SELECT * FROM issues ORDER BY window_start DESC',
  ofList: 'SELECT * FROM issues WHERE list = $1 ORDER BY window_start DESC',
};

export class PgIssues implements IssueRepository {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
  ) {}

  async issueFor(f: IssueFields): Promise<Issue> {
    await this.sql.run(SQL.insert, [f.list, f.windowStart, f.windowEnd, f.timezone, f.subject, this.clock.now().toISOString()]);
    return toIssue((await this.sql.row<IssueRow>(SQL.byKey, [f.list, f.windowStart]))!);
  }

  async find(list: string, windowStart: string): Promise<Issue | undefined> {
    const r = await this.sql.row<IssueRow>(SQL.byKey, [list, windowStart]);
    return r && toIssue(r);
  }

  async list(list?: string): Promise<Issue[]> {
    return (list === undefined ? await this.sql.rows<IssueRow>(SQL.all) : await this.sql.rows<IssueRow>(SQL.ofList, [list])).map(toIssue);
  }
}
