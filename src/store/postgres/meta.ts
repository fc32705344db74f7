// The store's own key/value settings in PostgreSQL's `meta` table (the generated link secret), and the database's age.
import { randomBytes } from 'node:crypto';
import type { MetaRepository } from '../store.ts';
import type { Sql } from './database.ts';

const LINK_SECRET_KEY = 'link_secret';

const SQL = {
  get: 'SELECT value FROM meta WHERE key = $1',
  insertIfMissing: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
  // The first migration is applied when the database is set up, with the clock's time.
  createdAt: 'SELECT min(applied_at) AS at FROM schema_migrations',
};

export class PgMeta implements MetaRepository {
  private secret: string | undefined;

  constructor(
    private readonly sql: Sql,
    configured: string | undefined,
  ) {
    this.secret = configured;
  }

  /** Insert-if-missing then read, so two processes racing on a fresh database agree on one secret. */
  async linkSecret(): Promise<string> {
    if (this.secret === undefined) {
      await this.sql.run(SQL.insertIfMissing, [LINK_SECRET_KEY, randomBytes(32).toString('base64url')]);
      this.secret = (await this.sql.row<{ value: string }>(SQL.get, [LINK_SECRET_KEY]))!.value;
    }
    return this.secret;
  }

  async createdAt(): Promise<string> {
    return (await this.sql.row<{ at: string }>(SQL.createdAt))!.at;
  }
}
