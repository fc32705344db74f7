// `subscribers add|list|remove` as an organizer and a script see them: output, exit codes, the database on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ENGINE } from '../helpers/engines.ts';
import { cli, listJson, tempDir } from './helpers.ts';

test('add creates an active subscriber in var/event-digest.db under the working directory, and closes it', async () => {
  const cwd = tempDir();
  const r = await cli(cwd, ['subscribers', 'add', ' Ann@Example.org ', '--name', 'Ann Lee', '--tz', 'Europe/Berlin', '--kinds', 'webinar,action']);
  assert.deepEqual([r.code, r.out, r.err], [0, 'added Ann@Example.org: active, Europe/Berlin, kinds: action,webinar', '']);
  if (TEST_ENGINE.name === 'sqlite') {
    const db = join(cwd, 'var', 'event-digest.db');
    assert.ok(existsSync(db));
    // SQLite removes the WAL file when the last connection closes: run() closed the store.
    assert.ok(!existsSync(`${db}-wal`), 'the store was left open');
  }
});

test('adding a known address (any case) says updated and changes only what was given', async () => {
  const cwd = tempDir();
  await cli(cwd, ['subscribers', 'add', 'bo@example.org', '--name', 'Bo', '--kinds', 'conference']);
  const r = await cli(cwd, ['subscribers', 'add', 'BO@example.org', '--tz', 'America/Chicago']);
  assert.deepEqual([r.code, r.out], [0, 'updated BO@example.org: active, America/Chicago, kinds: conference']);
  const all = await cli(cwd, ['subscribers', 'add', 'bo@example.org', '--kinds', 'all']);
  assert.match(all.out, /kinds: all$/);
  assert.deepEqual((await listJson(cwd)).map((s) => [s.email, s.name, s.timezone, s.kinds]), [['bo@example.org', 'Bo', 'America/Chicago', []]]);
});

test('list --json: an array of objects with email, name, timezone, kinds (an array) and status', async () => {
  const cwd = tempDir();
  assert.equal((await cli(cwd, ['subscribers', 'list', '--json'])).out, '[]');
  await cli(cwd, ['subscribers', 'add', 'zed@example.org']);
  await cli(cwd, ['subscribers', 'add', 'amy@example.org', '--name', 'Amy', '--kinds', 'webinar']);
  await cli(cwd, ['subscribers', 'remove', 'zed@example.org']);
  const r = await cli(cwd, ['subscribers', 'list', '--json']);
  assert.equal(r.code, 0);
  const list = JSON.parse(r.out);
  assert.ok(Array.isArray(list));
  assert.deepEqual(
    list.map(({ email, name, timezone, kinds, status }: Record<string, unknown>) => ({ email, name, timezone, kinds, status })),
    [
      { email: 'amy@example.org', name: 'Amy', timezone: 'America/New_York', kinds: ['webinar'], status: 'active' },
      { email: 'zed@example.org', name: null, timezone: 'America/New_York', kinds: [], status: 'unsubscribed' },
    ],
  );
  assert.equal(list[1].unsubscribedAt, '2016-11-28T12:00:00.000Z');
  const active = JSON.parse((await cli(cwd, ['subscribers', 'list', '--json', '--status', 'active'])).out);
  assert.deepEqual(active.map((s: { email: string }) => s.email), ['amy@example.org']);
});

test('list without --json: an aligned table and a count by status', async () => {
  const cwd = tempDir();
  assert.equal((await cli(cwd, ['subscribers', 'list'])).out, 'no subscribers');
  await cli(cwd, ['subscribers', 'add', 'a.long.address@example.org', '--name', 'Al']);
  await cli(cwd, ['subscribers', 'add', 'b@example.org', '--tz', 'America/Los_Angeles', '--kinds', 'action,conference']);
  await cli(cwd, ['subscribers', 'remove', 'b@example.org']);
  assert.equal(
    (await cli(cwd, ['subscribers', 'list'])).out,
    [
      'EMAIL                       NAME  TIMEZONE             KINDS              STATUS',
      'a.long.address@example.org  Al    America/New_York     all                active',
      'b@example.org                     America/Los_Angeles  action,conference  unsubscribed',
      '2 subscribers: 1 active, 1 unsubscribed',
    ].join('\n'),
  );
});

test('remove keeps the row as a suppression; add then refuses it (exit 1) unless --reactivate', async () => {
  const cwd = tempDir();
  await cli(cwd, ['subscribers', 'add', 'cy@example.org', '--name', 'Cy']);
  const rm = await cli(cwd, ['subscribers', 'remove', 'CY@example.org']);
  assert.deepEqual([rm.code, rm.out], [0, 'removed cy@example.org: unsubscribed, kept as a suppression']);
  assert.deepEqual((await listJson(cwd)).map((s) => [s.email, s.name, s.status]), [['cy@example.org', 'Cy', 'unsubscribed']]);
  assert.equal((await cli(cwd, ['subscribers', 'remove', 'cy@example.org'])).out, 'cy@example.org was already unsubscribed; kept as a suppression');

  const add = await cli(cwd, ['subscribers', 'add', 'cy@example.org', '--name', 'Not Cy']);
  assert.equal(add.code, 1);
  assert.equal(add.out, '');
  assert.equal(add.err, 'event-digest: cy@example.org is unsubscribed (suppressed); not reactivated; if they asked to come back: event-digest subscribers add cy@example.org --reactivate');
  assert.deepEqual((await listJson(cwd)).map((s) => [s.name, s.status]), [['Cy', 'unsubscribed']]);

  const back = await cli(cwd, ['subscribers', 'add', 'cy@example.org', '--reactivate']);
  assert.deepEqual([back.code, back.out], [0, 'reactivated cy@example.org (was unsubscribed): active, America/New_York, kinds: all']);
});

test('remove of an unknown address exits 1 and says so', async () => {
  const r = await cli(tempDir(), ['subscribers', 'remove', 'ghost@example.org']);
  assert.deepEqual([r.code, r.out, r.err], [1, '', "event-digest: no subscriber with the address 'ghost@example.org'"]);
});

test('bad arguments are usage errors (exit 2) that name the option', async () => {
  const cwd = tempDir();
  const cases: [string[], string][] = [
    [['subscribers', 'add', 'ann@example'], "event-digest: 'ann@example' is not an email address (the domain has no dot)"],
    [['subscribers', 'add', 'ann@example.org', '--tz', 'Mars/Olympus'], "event-digest: --tz: unknown time zone 'Mars/Olympus'"],
    [['subscribers', 'add', 'ann@example.org', '--kinds', 'party'], "event-digest: --kinds: unknown kind 'party' (kinds: action, webinar, conference)"],
    [['subscribers', 'add', 'ann@example.org', '--name', 'Ann\nBcc: x@example.org'], 'event-digest: --name: the name contains a line break'],
  ];
  for (const [args, err] of cases) {
    const r = await cli(cwd, args);
    assert.deepEqual([r.code, r.err], [2, err], args.join(' '));
  }
  assert.equal((await cli(cwd, ['subscribers', 'list', '--status', 'gone'])).code, 2);
  assert.equal((await cli(cwd, ['subscribers', 'add'])).code, 2);
  assert.deepEqual(await listJson(cwd), []);
});

test('--help for the group and each command exits 0 and lists the options', async () => {
  const cwd = tempDir();
  const top = await cli(cwd, ['--help']);
  assert.match(top.out, /\bsubscribers\b/);
  const group = await cli(cwd, ['subscribers', '--help']);
  assert.equal(group.code, 0);
  for (const c of ['add', 'import', 'list', 'remove']) assert.match(group.out, new RegExp(`^  ${c}\\b`, 'm'));
  const expected: Record<string, string[]> = { add: ['<email>', '--name', '--tz', '--kinds', '--reactivate'], import: ['<file>'], list: ['--json', '--status'], remove: ['<email>'] };
  for (const [c, opts] of Object.entries(expected)) {
    const r = await cli(cwd, ['subscribers', c, '--help']);
    assert.equal(r.code, 0, c);
    for (const o of opts) assert.ok(r.out.includes(o), `${c} ${o}`);
  }
  assert.ok(!existsSync(join(cwd, 'var')), 'help opens no database');
});
