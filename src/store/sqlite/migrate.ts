// Numbered schema migrations (NNN-name.sql): records applied versions and runs the pending ones on open.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import { DigestError } from '../../errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

const FILE_RE = /^(\d{3,})-([a-z0-9-]+)\.sql$/;

/** The migrations in a folder, by version; a gap or a repeated number is a programming error. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, m: FILE_RE.exec(file) }))
    .filter((x): x is { file: string; m: RegExpExecArray } => x.m !== null)
    .map(({ file, m }) => ({ version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations in ${dir}: expected version ${i + 1}, found ${m.version}-${m.name}`);
  });
  return migrations;
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
    const applied = new Set(appliedStmt.all().map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known) {
      throw new DigestError('CONFIG', `the database is at schema version ${newest}, newer than this event-digest knows (${known}); upgrade event-digest`);
    }
    const pending = migrations.filter((m) => !applied.has(m.version));
    const at = clock.now().toISOString();
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, at);
    }
    return pending.map((m) => m.version);
  });
  return run.immediate();
}
