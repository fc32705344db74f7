// Numbered schema migrations (NNN-name.sql) read from a dialect's folder; each dialect applies them its own way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DigestError } from '../errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_RE = /^(\d{3,})-([a-z0-9-]+)\.sql$/;

/** The migrations in a folder, by version; a gap or a repeated number is a programming error. */
export function loadMigrations(dir: string): Migration[] {
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

/** A database newer than the code is refused before anything is applied. */
export function pendingMigrations(migrations: Migration[], applied: Set<number>): Migration[] {
  const newest = Math.max(0, ...applied);
  const known = migrations.at(-1)?.version ?? 0;
  if (newest > known) {
    throw new DigestError('CONFIG', `the database is at schema version ${newest}, newer than this event-digest knows (${known}); upgrade event-digest`);
  }
  return migrations.filter((m) => !applied.has(m.version));
}
