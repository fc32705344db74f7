// Which dialect config `db` opens: a file path or sqlite:PATH is SQLite, postgres://… PostgreSQL; bad values and refused
// connections are one-line CONFIG errors that never repeat a password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.ts';
import { DigestError } from '../../src/errors.ts';
import { openStore, parseDbSetting } from '../../src/store/open.ts';
import { POSTGRES } from '../helpers/engines.ts';
import { cli, tempDir } from '../subscribers/helpers.ts';

const clock = fixedClock(new Date('2016-11-28T12:00:00Z'));
const isConfig = (pattern: RegExp) => (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && pattern.test(e.message);

test('a path (relative to the working directory) and sqlite:PATH are SQLite files', () => {
  assert.deepEqual(parseDbSetting('var/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/srv/digest/var/x.db', label: '/srv/digest/var/x.db' });
  assert.deepEqual(parseDbSetting('sqlite:var/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/srv/digest/var/x.db', label: '/srv/digest/var/x.db' });
  assert.deepEqual(parseDbSetting('sqlite:///data/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/data/x.db', label: '/data/x.db' });
  assert.deepEqual(parseDbSetting('/data/x.db', '/srv/digest'), { dialect: 'sqlite', path: '/data/x.db', label: '/data/x.db' });
  assert.deepEqual(parseDbSetting(':memory:', '/srv/digest'), { dialect: 'sqlite', path: ':memory:', label: ':memory:' });
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

test('a PostgreSQL URL selects PostgreSQL; its label and errors never repeat the password', async () => {
  assert.deepEqual(parseDbSetting('postgres://digest:s3cret@db.example.org:5433/news'), {
    dialect: 'postgres',
    url: 'postgres://digest:s3cret@db.example.org:5433/news',
    host: 'db.example.org:5433',
    label: 'postgres://digest@db.example.org:5433/news',
  });
  assert.equal((parseDbSetting('postgresql://db.example.org/news') as { host: string }).host, 'db.example.org:5432', 'the default port');
  for (const bad of ['postgres://digest:s3cret@db.example.org', 'postgres://digest:s3cret@:5432/x', 'postgres://digest:s3cret@h:99999/x']) {
    assert.throws(() => parseDbSetting(bad), (e: unknown) => e instanceof DigestError && e.code === 'CONFIG' && !e.message.includes('s3cret') && /^db: /.test(e.message), bad);
  }
  assert.throws(() => parseDbSetting('mysql://u:p@h/db'), isConfig(/^db: unknown database URL scheme 'mysql:'/));
  assert.throws(() => parseDbSetting('sqlite:'), isConfig(/names no file/));
});

test('a refused connection is one CONFIG line naming the host, not the password', async () => {
  // A port nothing listens on: taken and closed again at once.
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  await assert.rejects(
    openStore({ db: `postgres://digest:s3cret@127.0.0.1:${port}/digest`, clock, defaultTimezone: 'UTC' }),
    isConfig(new RegExp(`^db: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}: connection refused$`)),
  );
  const cwd = tempDir();
  const r = await cli(cwd, ['subscribers', 'list'], { DIGEST_DB: `postgres://digest:s3cret@127.0.0.1:${port}/digest` });
  assert.deepEqual([r.code, r.out, r.err], [2, '', `event-digest: db: cannot connect to PostgreSQL at 127.0.0.1:${port}: connection refused`]);
  assert.ok(!existsSync(join(cwd, 'var')), 'nothing created');
});

test('a database that does not exist on the server is named by the server, with the host', { skip: POSTGRES.skip }, async () => {
  const url = new URL(await POSTGRES.db(tempDir()));
  url.pathname = '/no_such_database';
  url.password = 's3cret';
  await assert.rejects(openStore({ db: url.href, clock, defaultTimezone: 'UTC' }), isConfig(new RegExp(`^db: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${url.port}: database "no_such_database" does not exist$`)));
});
