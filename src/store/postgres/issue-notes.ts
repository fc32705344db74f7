// The organizers' notes in PostgreSQL's `issue_notes`: one Markdown note per (list, window start).
import type { Clock } from '../../clock.ts';
import type { IssueNoteRepository } from '../store.ts';
import type { Sql } from './database.ts';

const SQL = {
  get: 'SELECT markdown FROM issue_notes WHERE list = $1 AND window_start = $2',
  set: `INSERT INTO issue_notes (list, window_start, markdown, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (list, window_start) DO UPDATE SET markdown = excluded.markdown, updated_at = excluded.updated_at`,
  clear: 'DELETE FROM issue_notes WHERE list = $1 AND window_start = $2',
};

export class PgIssueNotes implements IssueNoteRepository {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
  ) {}

  async set(list: string, windowStart: string, markdown: string): Promise<void> {
    await this.sql.run(SQL.set, [list, windowStart, markdown, this.clock.now().toISOString()]);
  }

  async get(list: string, windowStart: string): Promise<string | undefined> {
    return (await this.sql.row<{ markdown: string }>(SQL.get, [list, windowStart]))?.markdown;
  }

  async clear(list: string, windowStart: string): Promise<boolean> {
    return (await this.sql.run(SQL.clear, [list, windowStart])) > 0;
  }
}
