// The store's own key/value settings in SQLite's `meta` table: the generated link secret.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MetaRepository } from '../store.ts';

const LINK_SECRET_KEY = 'link_secret';

export class SqliteMeta implements MetaRepository {
  private readonly q;
  private secret: string | undefined;

  constructor(db: Database.Database, configured: string | undefined) {
    this.secret = configured;
    this.q = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      insertIfMissing: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    };
  }

  /** Insert-if-missing then read, so two processes racing on a fresh database agree on one secret. */
  async linkSecret(): Promise<string> {
    if (this.secret === undefined) {
      this.q.insertIfMissing.run(LINK_SECRET_KEY, randomBytes(32).toString('base64url'));
      this.secret = this.q.get.get(LINK_SECRET_KEY)!.value;
    }
    return this.secret;
  }
}
