// Migrations: run once on open, idempotent, all-or-nothing, and a database newer than the code is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixedClock } from '../../src/clock.ts';
import { DigestError } from '../../src/errors.ts';
import { BUSY_TIMEOUT_MS, openDatabase } from '../../src/store/sqlite/database.ts';
import { loadMigrations } from '../../src/store/sqlite/migrate.ts';
import { tempDir } from '../subscribers/helpers.ts';

const at = (iso: string) => fixedClock(new Date(iso));
const applied = (db: Database.Database) => db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();

test('a fresh database: parent folders created, WAL, foreign keys, busy timeout, every migration applied', () => {
  const path = join(tempDir(), 'deep', 'er', 'event-digest.db');
  const db = openDatabase(path, at('2016-11-28T12:00:00Z'));
  try {
    assert.ok(existsSync(path));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
    const known = loadMigrations();
    assert.ok(known.length >= 1);
    assert.deepEqual(applied(db), known.map((m) => ({ version: m.version, name: m.name, applied_at: '2016-11-28T12:00:00.000Z' })));
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('subscribers', 'meta') ORDER BY name").pluck().all(), ['meta', 'subscribers']);
  } finally {
    db.close();
  }
});

test('opening again runs nothing: versions and their times are unchanged, data survives', () => {
  const path = join(tempDir(), 'x.db');
  const first = openDatabase(path, at('2016-11-28T12:00:00Z'));
  first.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
  const before = applied(first);
  first.close();
  const again = openDatabase(path, at('2017-01-01T00:00:00Z'));
  try {
    assert.deepEqual(applied(again), before);
    assert.equal(again.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get(), 'v');
  } finally {
    again.close();
  }
});

test('pending migrations run in one transaction: a failing one leaves no trace, and a fixed one applies later', () => {
  const dir = tempDir();
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001-one.sql'), 'CREATE TABLE one (x INTEGER) STRICT;');
  writeFileSync(join(migrations, '002-two.sql'), 'CREATE TABLE two (x INTEGER) STRICT;\nINSERT INTO nowhere VALUES (1);');
  const path = join(dir, 'x.db');
  assert.throws(() => openDatabase(path, at('2016-11-28T12:00:00Z'), loadMigrations(migrations)), /no such table: nowhere/);
  const raw = new Database(path);
  assert.deepEqual(raw.prepare("SELECT name FROM sqlite_master WHERE name IN ('one', 'two')").all(), []);
  assert.deepEqual(applied(raw), []);
  raw.close();

  writeFileSync(join(migrations, '002-two.sql'), 'CREATE TABLE two (x INTEGER) STRICT;');
  const db = openDatabase(path, at('2016-11-29T00:00:00Z'), loadMigrations(migrations));
  assert.deepEqual(applied(db).map((r: any) => r.version), [1, 2]);
  db.close();
});

test('a database from a newer event-digest is refused; numbering gaps are caught', () => {
  const dir = tempDir();
  const path = join(dir, 'x.db');
  openDatabase(path, at('2016-11-28T12:00:00Z')).close();
  const raw = new Database(path);
  raw.prepare("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')").run();
  raw.close();
  assert.throws(
    () => openDatabase(path, at('2016-11-28T12:00:00Z')),
    (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && /schema version 999, newer than/.test(e.message),
  );
  const gap = join(dir, 'gap');
  mkdirSync(gap);
  writeFileSync(join(gap, '001-a.sql'), '');
  writeFileSync(join(gap, '003-c.sql'), '');
  assert.throws(() => loadMigrations(gap), /expected version 2, found 3-c/);
});

test('a file that is not a database is a configuration error naming it', () => {
  const path = join(tempDir(), 'notes.db');
  writeFileSync(path, 'these are not the pages you are looking for'.repeat(200));
  assert.throws(
    () => openDatabase(path, at('2016-11-28T12:00:00Z')),
    (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && e.message.includes(path),
  );
});
