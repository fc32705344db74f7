// PostgreSQL's migrations: the same numbers and names as SQLite's, applied once on open even when several
// processes open a fresh database together, all-or-nothing, and a database newer than the code refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { DigestError } from '../../src/errors.ts';
import { openStore } from '../../src/store/open.ts';
import { connect } from '../../src/store/postgres/database.ts';
import { loadMigrations as pgMigrations, migrate } from '../../src/store/postgres/migrate.ts';
import { loadMigrations as sqliteMigrations } from '../../src/store/sqlite/migrate.ts';
import { POSTGRES } from '../helpers/engines.ts';
import { tempDir } from '../subscribers/helpers.ts';

const at = (iso: string) => fixedClock(new Date(iso));
const skip = POSTGRES.skip;

test('both dialects have the same migrations: a new one on one side is ported to the other (docs/internals.md)', () => {
  const names = (ms: { version: number; name: string }[]) => ms.map((m) => `${String(m.version).padStart(3, '0')}-${m.name}`);
  assert.deepEqual(names(pgMigrations()), names(sqliteMigrations()));
});

test('three processes opening a fresh database at once: each migration applied once, at the first opener\'s time', { skip }, async () => {
  const db = await POSTGRES.db(tempDir());
  const stores = await Promise.all([1, 2, 3].map(() => openStore({ db, clock: at('2016-11-28T12:00:00Z'), defaultTimezone: 'UTC' })));
  await stores[1].subscribers.add({ email: 'a@example.org' }, { source: 't' });
  await Promise.all(stores.map((s) => s.close()));
  const again = await openStore({ db, clock: at('2017-01-01T00:00:00Z'), defaultTimezone: 'UTC' });
  try {
    assert.equal(await again.meta.createdAt(), '2016-11-28T12:00:00.000Z', 'opening again applied nothing');
    assert.equal((await again.subscribers.findByEmail('a@example.org'))?.status, 'active', 'data survives');
  } finally {
    await again.close();
  }
  const raw = await connect(db, 'test');
  try {
    const rows = await raw.rows<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows, pgMigrations().map((m) => ({ version: m.version, name: m.name })));
  } finally {
    await raw.close();
  }
});

test('pending migrations run in one transaction: a failing one leaves no trace; a newer database is refused', { skip }, async () => {
  const dir = tempDir();
  const folder = join(dir, 'migrations');
  mkdirSync(folder);
  writeFileSync(join(folder, '001-one.sql'), 'CREATE TABLE one (x INTEGER);');
  writeFileSync(join(folder, '002-two.sql'), 'CREATE TABLE two (x INTEGER);\nINSERT INTO nowhere VALUES (1);');
  const db = await connect(await POSTGRES.db(dir), 'test');
  try {
    await assert.rejects(migrate(db, pgMigrations(folder), at('2016-11-28T12:00:00Z')), /relation "nowhere" does not exist/);
    assert.deepEqual(await db.rows("SELECT tablename FROM pg_tables WHERE tablename IN ('one', 'two', 'schema_migrations')"), []);
    writeFileSync(join(folder, '002-two.sql'), 'CREATE TABLE two (x INTEGER);');
    assert.deepEqual(await migrate(db, pgMigrations(folder), at('2016-11-29T00:00:00Z')), [1, 2]);
    await db.run("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')");
    await assert.rejects(
      migrate(db, pgMigrations(folder), at('2016-11-29T00:00:00Z')),
      (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && /schema version 999, newer than/.test(e.message),
    );
  } finally {
    await db.close();
  }
});
