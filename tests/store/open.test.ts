// Which dialect config `db` opens: a file path or sqlite:PATH is SQLite; a PostgreSQL URL is a clear CONFIG error for now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { DigestError } from '../../src/errors.ts';
import { openStore, parseDbSetting } from '../../src/store/open.ts';
import { cli, tempDir } from '../subscribers/helpers.ts';

const clock = fixedClock(new Date('2016-11-28T12:00:00Z'));
const isConfig = (pattern: RegExp) => (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && pattern.test(e.message);

test('a path (relative to the working directory) and sqlite:PATH are SQLite files', () => {
  assert.deepEqual(parseDbSetting('var/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/srv/digest/var/x.db' });
  assert.deepEqual(parseDbSetting('sqlite:var/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/srv/digest/var/x.db' });
  assert.deepEqual(parseDbSetting('sqlite:///data/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/data/x.db' });
  assert.deepEqual(parseDbSetting('/data/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/data/x.db' });
  assert.deepEqual(parseDbSetting(':memory:', '/srv/digest'), { dialect: 'sqlite', path: ':memory:' });
});

test('openStore with sqlite:PATH creates and migrates that file', async () => {
  const dir = tempDir();
  const store = await openStore({ db: 'sqlite:nested/digest.db', cwd: dir, clock, defaultTimezone: 'UTC' });
  try {
    assert.ok(existsSync(join(dir, 'nested', 'digest.db')));
    assert.equal((await store.subscribers.add({ email: 'a@example.org' }, { source: 'test' })).outcome, 'created');
  } finally {
    await store.close();
  }
});

test('PostgreSQL is not supported yet: one CONFIG error that does not repeat the URL (it may hold a password)', async () => {
  for (const url of ['postgres://digest:s3cret@db.example.org:5432/digest', 'postgresql://digest:s3cret@db.example.org/digest']) {
    await assert.rejects(openStore({ db: url, clock, defaultTimezone: 'UTC' }), isConfig(/^db: PostgreSQL is not supported yet; use a SQLite file \(a path, or sqlite:PATH\)$/));
  }
  assert.throws(() => parseDbSetting('mysql://u:p@h/db'), isConfig(/^db: unknown database URL scheme 'mysql:'/));
  assert.throws(() => parseDbSetting('sqlite:'), isConfig(/names no file/));
});

test('the CLI with DIGEST_DB=postgres://… says so in one line and exits 2, creating nothing', async () => {
  const cwd = tempDir();
  const r = await cli(cwd, ['subscribers', 'list'], { DIGEST_DB: 'postgres://digest:s3cret@localhost/digest' });
  assert.deepEqual([r.code, r.out, r.err], [2, '', 'event-digest: db: PostgreSQL is not supported yet; use a SQLite file (a path, or sqlite:PATH)']);
  assert.ok(!existsSync(join(cwd, 'var')));
});
