// The store's own key/value settings in PostgreSQL's `meta` table (the generated link secret), and the database's age.
import { randomBytes } from 'node:crypto';
import type { MetaRepository } from '../store.ts';
import type { Sql } from './database.ts';

const LINK_SECRET_KEY = 'link_secret';
/** Its own key, not the link secret: changing config `secret` must not lift the suppressions of forgotten addresses. */
const SUPPRESSION_SECRET_KEY = 'suppression_secret';

const SQL = {
  get: 'SELECT value FROM meta WHERE key = $1',
  insertIfMissing: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
  // The first migration is applied when the database is set up, with the clock's time.
  createdAt: 'SELECT min(applied_at) AS at FROM schema_migrations',
};

export class PgMeta implements MetaRepository {
  private secret: string | undefined;
  private suppression: string | undefined;

  constructor(
    private readonly sql: Sql,
    configured: string | undefined,
  ) {
    this.secret = configured;
  }

  async linkSecret(): Promise<string> {
    return (this.secret ??= await this.generated(LINK_SECRET_KEY));
  }

  /** The key of the suppressions' hashes: generated once, kept. */
  async suppressionSecret(): Promise<string> {
    return (this.suppression ??= await this.generated(SUPPRESSION_SECRET_KEY));
  }

  /** Insert-if-missing then read, so two processes racing on a fresh database agree on one secret. */
  private async generated(key: string): Promise<string> {
    await this.sql.run(SQL.insertIfMissing, [key, randomBytes(32).toString('base64url')]);
    return (await this.sql.row<{ value: string }>(SQL.get, [key]))!.value;
  }

  async createdAt(): Promise<string> {
    return (await this.sql.row<{ at: string }>(SQL.createdAt))!.at;
  }
}
