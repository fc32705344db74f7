// PostgreSQL's schema migrations: the pending ones applied in one transaction under an advisory lock, so two
// processes starting at once apply each migration once (the second waits, then finds nothing to do).
import type { Clock } from '../../clock.ts';
import { codeFile } from '../../package-files.ts';
import { loadMigrations as loadFrom, pendingMigrations, type Migration } from '../migration-files.ts';
import { LOCK, type PgDatabase } from './database.ts';

export const MIGRATIONS_DIR = codeFile('store/postgres/migrations');

/** PostgreSQL's migrations (or a test's folder), by version. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return loadFrom(dir);
}

/** Applies every pending migration; returns the versions it applied. DDL is transactional here: all or none. */
export async function migrate(db: PgDatabase, migrations: Migration[], clock: Clock): Promise<number[]> {
  return db.transaction(async (sql) => {
    await sql.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = await sql.rows<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const pending = pendingMigrations(migrations, new Set(applied.map((r) => r.version)));
    const at = clock.now().toISOString();
    for (const m of pending) {
      await sql.run(m.sql);
      await sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, at]);
    }
    return pending.map((m) => m.version);
  }, [LOCK.migrations, 0]);
}
