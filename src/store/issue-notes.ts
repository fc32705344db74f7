// The organizers' notes, one per issue: Markdown kept by (list, window start), read when the issue is rendered.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';

/**
 * Async like the rest of the store is becoming (its SQLite calls are synchronous today), so callers
 * already `await` it.
 */
export class IssueNotes {
  private readonly q;

  constructor(db: Database.Database, private readonly clock: Clock) {
    this.q = {
      get: db.prepare<[string, string], { markdown: string }>('SELECT markdown FROM issue_notes WHERE list = ? AND window_start = ?'),
      set: db.prepare<[string, string, string, string]>(
        `INSERT INTO issue_notes (list, window_start, markdown, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (list, window_start) DO UPDATE SET markdown = excluded.markdown, updated_at = excluded.updated_at`,
      ),
      clear: db.prepare<[string, string]>('DELETE FROM issue_notes WHERE list = ? AND window_start = ?'),
    };
  }

  async setNote(list: string, windowStart: string, markdown: string): Promise<void> {
    this.q.set.run(list, windowStart, markdown, this.clock.now().toISOString());
  }

  /** The note of an issue, or undefined when it has none. */
  async note(list: string, windowStart: string): Promise<string | undefined> {
    return this.q.get.get(list, windowStart)?.markdown;
  }

  /** True when there was a note to remove. */
  async clearNote(list: string, windowStart: string): Promise<boolean> {
    return this.q.clear.run(list, windowStart).changes > 0;
  }
}
