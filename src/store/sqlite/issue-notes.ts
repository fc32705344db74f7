// The organizers' notes in SQLite's `issue_notes`: one Markdown note per (list, window start).
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { IssueNoteRepository } from '../store.ts';

export class SqliteIssueNotes implements IssueNoteRepository {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.q = {
      get: db.prepare<[string, string], { markdown: string }>('SELECT markdown FROM issue_notes WHERE list = ? AND window_start = ?'),
      set: db.prepare<[string, string, string, string]>(
        `INSERT INTO issue_notes (list, window_start, markdown, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (list, window_start) DO UPDATE SET markdown = excluded.markdown, updated_at = excluded.updated_at`,
      ),
      clear: db.prepare<[string, string]>('DELETE FROM issue_notes WHERE list = ? AND window_start = ?'),
    };
  }

  async set(list: string, windowStart: string, markdown: string): Promise<void> {
    this.q.set.run(list, windowStart, markdown, this.clock.now().toISOString());
  }

  async get(list: string, windowStart: string): Promise<string | undefined> {
    return this.q.get.get(list, windowStart)?.markdown;
  }

  async clear(list: string, windowStart: string): Promise<boolean> {
    return this.q.clear.run(list, windowStart).changes > 0;
  }
}
