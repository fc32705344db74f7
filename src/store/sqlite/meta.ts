// The store's own key/value settings in SQLite's `meta` table (the generated link secret), and the database's age.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MetaRepository } from '../store.ts';

const LINK_SECRET_KEY = 'link_secret';
/** Its own key, not the link secret: changing config `secret` must not lift the suppressions of forgotten addresses. */
const SUPPRESSION_SECRET_KEY = 'suppression_secret';

export class SqliteMeta implements MetaRepository {
  private readonly q;
  private secret: string | undefined;
  private suppression: string | undefined;

  constructor(db: Database.Database, configured: string | undefined) {
    this.secret = configured;
    this.q = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      insertIfMissing: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      // The first migration is applied when the file is created, with the clock's time.
      createdAt: db.prepare<[], { at: string }>('SELECT min(applied_at) AS at FROM schema_migrations'),
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

  /** Synchronous: the subscriber repository's transactions hash addresses with it. Generated once, kept. */
  suppressionSecret(): string {
    if (this.suppression === undefined) {
      this.q.insertIfMissing.run(SUPPRESSION_SECRET_KEY, randomBytes(32).toString('base64url'));
      this.suppression = this.q.get.get(SUPPRESSION_SECRET_KEY)!.value;
    }
    return this.suppression;
  }

  async createdAt(): Promise<string> {
    return this.q.createdAt.get()!.at;
  }
}
