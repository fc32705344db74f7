// Opens the SQLite file the way every part of event-digest expects: WAL, foreign keys, a busy timeout, migrated.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { DigestError } from '../../errors.ts';
import { loadMigrations, migrate, type Migration } from './migrate.ts';

/** How long a writer waits for another process (the daemon, a CLI run) before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string, clock: Clock, migrations: Migration[] = loadMigrations()): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (e) {
    throw new DigestError('CONFIG', `db: cannot open the database '${path}': ${(e as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // WAL makes NORMAL durable against application crashes; only a power loss can drop the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, clock);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof DigestError) throw e;
    // A file that is not a database ("file is not a database") is a configuration problem, not a crash.
    if ((e as { code?: string }).code?.startsWith('SQLITE_')) {
      throw new DigestError('CONFIG', `db: cannot use the database '${path}': ${(e as Error).message}`);
    }
    throw e;
  }
}
