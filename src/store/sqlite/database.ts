// Opens the SQLite file the way every part of event-digest expects: WAL, foreign keys, a busy timeout, migrated.
import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { DigestError } from '../../errors.ts';
import { loadMigrations, migrate, type Migration } from './migrate.ts';

/** How long a writer waits for another process (the daemon, a CLI run) before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * The file holds the link secret and every address: created owner-only (0600, its new folders 0700)
 * whatever the umask. SQLite gives the -wal and -shm files the database file's permissions.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return; // an existing file keeps the permissions its owner gave it
    throw e;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/**
 * SQLite's own default page cache, 2 MB per connection: better-sqlite3 builds SQLite with 16 MB. A send reads the
 * list once through, so a larger cache only fills with pages read once: on the 1,000,000-reader dry run the
 * 16 MB cost Node 24 about 27 MB of peak RSS (261–266 → 234–235 MB), and the 100,000-reader send bench ran as fast
 * with 2 MB (904 messages/s against 885). docs/speed.md, "The dry run's last megabytes".
 */
const PAGE_CACHE_KIB = 2000;

export function openDatabase(path: string, clock: Clock, migrations: Migration[] = loadMigrations()): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') createPrivately(path);
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
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
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
