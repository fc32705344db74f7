// SQLite's schema migrations: records applied versions and runs the pending ones on open, in one IMMEDIATE transaction.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { codeFile } from '../../package-files.ts';
import { loadMigrations as loadFrom, pendingMigrations, type Migration } from '../migration-files.ts';

export type { Migration };

export const MIGRATIONS_DIR = codeFile('store/sqlite/migrations');

/** SQLite's migrations (or a test's folder), by version. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return loadFrom(dir);
}

/** Applies every pending migration in one transaction; returns the versions it applied. */
export function migrate(db: Database.Database, migrations: Migration[], clock: Clock): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const appliedStmt = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  const record = db.prepare<[number, string, string]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const run = db.transaction(() => {
    // Read inside the (immediate) transaction: another process may have migrated meanwhile.
    const pending = pendingMigrations(migrations, new Set(appliedStmt.all().map((r) => r.version)));
    const at = clock.now().toISOString();
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, at);
    }
    return pending.map((m) => m.version);
  });
  return run.immediate();
}
