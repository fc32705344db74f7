// The store's own key/value settings (the generated link secret), kept in the `meta` table.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

const LINK_SECRET_KEY = 'link_secret';

export function metaQueries(db: Database.Database) {
  return {
    get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    insertIfMissing: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  };
}

/**
 * The secret kept in the database, generated on first use. Insert-if-missing then read, so two
 * processes racing on a fresh database agree on one secret.
 */
export function storedLinkSecret(q: ReturnType<typeof metaQueries>): string {
  q.insertIfMissing.run(LINK_SECRET_KEY, randomBytes(32).toString('base64url'));
  return q.get.get(LINK_SECRET_KEY)!.value;
}
