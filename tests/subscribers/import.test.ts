// CSV import: valid rows are taken, each rejected one is reported as FILE:LINE: reason, and a failure writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importSubscribers, parseSubscriberCsv } from '../../src/subscribers/csv-import.ts';
import { rawSql, TEST_ENGINE } from '../helpers/engines.ts';
import { KINDS, cli, listJson, storeIn, tempDir, writeFile } from './helpers.ts';

const MIXED = [
  'email,name,timezone,kinds',
  'ann@example.org,Ann,America/Chicago,webinar',
  'bob@example,Bob,,',
  'cy@example.org,Cy,Mars/Olympus,',
  'dee@example.org,Dee,,party;action',
  'ANN@example.org,Ann again,,',
  '',
  '"eve@example.org","Eve ""E"" Smith","Europe/Berlin","action; conference"',
  'fay@example.org,"Fay',
  'Two Lines",,',
  'gus@example.org',
  'sue@example.org,Sue,,',
  'hal@example.org,Hal,UTC,webinar,extra',
];

const REPORT = [
  "people.csv:3: 'bob@example' is not an email address (the domain has no dot)",
  "people.csv:4: unknown time zone 'Mars/Olympus'",
  "people.csv:5: unknown kind 'party' (kinds: action, webinar, conference)",
  'people.csv:6: duplicate of line 2 (ANN@example.org)',
  'people.csv:9: the name contains a line break',
  'people.csv:12: address is unsubscribed (suppressed); not reactivated',
  'people.csv:13: 5 fields, but the header has 4',
  'imported 2, updated 1, rejected 7',
].join('\n');

async function prepared() {
  const cwd = tempDir();
  assert.equal((await cli(cwd, ['subscribers', 'add', 'gus@example.org', '--kinds', 'conference'])).code, 0);
  assert.equal((await cli(cwd, ['subscribers', 'add', 'sue@example.org', '--name', 'Sue'])).code, 0);
  assert.equal((await cli(cwd, ['subscribers', 'remove', 'sue@example.org'])).code, 0);
  return cwd;
}

for (const [label, eol] of [['LF', '\n'], ['CRLF', '\r\n']]) {
  test(`a mix of good and bad rows (${label}): exact report, counts, exit 1, good rows committed`, async () => {
    const cwd = await prepared();
    writeFile(cwd, 'people.csv', MIXED.join(eol) + eol);
    const r = await cli(cwd, ['subscribers', 'import', 'people.csv']);
    assert.equal(r.out, REPORT);
    assert.equal(r.err, '');
    assert.equal(r.code, 1);
    const list = await listJson(cwd);
    assert.deepEqual(
      list.map((s) => [s.email, s.name, s.timezone, s.kinds, s.status, s.source]),
      [
        ['ann@example.org', 'Ann', 'America/Chicago', ['webinar'], 'active', 'import:people.csv'],
        ['eve@example.org', 'Eve "E" Smith', 'Europe/Berlin', ['action', 'conference'], 'active', 'import:people.csv'],
        // Empty cells keep what the subscriber had; the source stays how it first came.
        ['gus@example.org', null, 'America/New_York', ['conference'], 'active', 'cli'],
        ['sue@example.org', 'Sue', 'America/New_York', [], 'unsubscribed', 'cli'],
      ],
    );
  });
}

test('importing the same file again updates instead of duplicating', async () => {
  const cwd = tempDir();
  writeFile(cwd, 'a.csv', 'Email,Name\nann@example.org,Ann\nbob@example.org,Bob\n');
  assert.equal((await cli(cwd, ['subscribers', 'import', 'a.csv'])).out, 'imported 2, updated 0, rejected 0');
  writeFile(cwd, 'b.csv', 'email,name\nANN@example.org,Ann Lee\n');
  const again = await cli(cwd, ['subscribers', 'import', 'b.csv']);
  assert.deepEqual([again.code, again.out], [0, 'imported 0, updated 1, rejected 0']);
  assert.deepEqual((await listJson(cwd)).map((s) => [s.email, s.name]), [['ANN@example.org', 'Ann Lee'], ['bob@example.org', 'Bob']]);
});

test('a file that is not a subscriber CSV is one error, and nothing is imported', async () => {
  const cwd = tempDir();
  const cases: [string, string | Buffer, string][] = [
    ['noemail.csv', 'name,timezone\nAnn,UTC\n', "noemail.csv:1: no 'email' column in the header (columns: email, name, timezone, kinds, location, radius); nothing was imported"],
    ['extra.csv', 'email,phone\nann@example.org,555\n', "extra.csv:1: unknown column 'phone' in the header (columns: email, name, timezone, kinds, location, radius); map them with --columns \"HEADER=FIELD,…\" (fields: email, name, timezone, kinds, location, radius, first, last); nothing was imported"],
    ['semi.csv', 'email;name\nann@example.org;Ann\n', "semi.csv:1: unknown column 'email;name' in the header (columns: email, name, timezone, kinds, location, radius, and the separator must be a comma); map them with --columns \"HEADER=FIELD,…\" (fields: email, name, timezone, kinds, location, radius, first, last); nothing was imported"],
    ['twice.csv', 'email,name,Email\n', "twice.csv:1: column 'email' appears twice in the header; nothing was imported"],
    ['empty.csv', '', 'empty.csv:1: the file is empty (it needs the header email,name,timezone,kinds,location,radius); nothing was imported'],
    ['quote.csv', 'email,name\nann@example.org,Ann\nbob@example.org,"Bob\n', 'quote.csv:3: not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 3; nothing was imported'],
    ['image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image.csv:1: not a CSV file (it holds binary data); nothing was imported'],
    ['latin1.csv', Buffer.from('email,name\nann@example.org,Jos\xe9\n', 'latin1'), 'latin1.csv:1: not a CSV file in UTF-8 (save it as "CSV UTF-8"); nothing was imported'],
  ];
  for (const [name, content, message] of cases) {
    writeFile(cwd, name, content as string);
    const r = await cli(cwd, ['subscribers', 'import', name]);
    assert.deepEqual([r.code, r.out, r.err], [1, '', `event-digest: ${message}`], name);
  }
  const missing = await cli(cwd, ['subscribers', 'import', 'nope.csv']);
  assert.deepEqual([missing.code, missing.err], [1, `event-digest: ${join(cwd, 'nope.csv')}: no such file; nothing was imported`]);
  assert.deepEqual(await listJson(cwd), []);
});

test('an error part-way through an import leaves nothing half-written', async (t) => {
  const dir = tempDir();
  const store = await storeIn(dir);
  t.after(() => store.close());
  await store.subscribers.add({ email: 'old@example.org', kinds: ['action'] }, { source: 'cli' });
  // A real fault of the engine's on the third row, after one insert and one update went through.
  if (TEST_ENGINE.name === 'sqlite') {
    await rawSql(TEST_ENGINE, dir, `CREATE TRIGGER boom BEFORE INSERT ON subscribers WHEN NEW.email_key = 'boom@example.org'
                 BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
  } else {
    await rawSql(TEST_ENGINE, dir, `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.email_key = 'boom@example.org' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
    await rawSql(TEST_ENGINE, dir, 'CREATE TRIGGER boom BEFORE INSERT ON subscribers FOR EACH ROW EXECUTE FUNCTION boom()');
  }
  const { rows } = parseSubscriberCsv('email,kinds\nnew@example.org,\nold@example.org,webinar\nboom@example.org,\nlast@example.org,\n', 'f.csv');
  await assert.rejects(() => importSubscribers(store.subscribers, rows, { kinds: KINDS, source: 'import:f.csv' }), /injected fault/);
  assert.deepEqual((await store.subscribers.list()).map((s) => [s.email, s.kinds]), [['old@example.org', ['action']]]);
  await rawSql(TEST_ENGINE, dir, TEST_ENGINE.name === 'sqlite' ? 'DROP TRIGGER boom' : 'DROP TRIGGER boom ON subscribers');
  const report = await importSubscribers(store.subscribers, rows, { kinds: KINDS, source: 'import:f.csv' });
  assert.deepEqual(report, { imported: 3, updated: 1, rejected: [] });
});

test('the demo list in data/subscribers.csv imports cleanly: zones and kinds of every sort', async () => {
  const cwd = tempDir();
  const demo = resolve(import.meta.dirname, '../../data/subscribers.csv');
  writeFile(cwd, 'subscribers.csv', readFileSync(demo, 'utf8'));
  const r = await cli(cwd, ['subscribers', 'import', join(cwd, 'subscribers.csv')]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^imported [6-9], updated 0, rejected 0$/);
  const list = await listJson(cwd);
  assert.ok(list.every((s) => s.email.endsWith('@example.org') && s.status === 'active'));
  assert.deepEqual([...new Set(list.map((s) => s.timezone))].sort(), ['America/Chicago', 'America/Los_Angeles', 'America/New_York', 'Europe/Berlin']);
  assert.ok(list.some((s) => s.kinds.length === 0));
  assert.ok(list.some((s) => s.kinds.join() === 'webinar'));
  assert.ok(list.some((s) => s.kinds.join() === 'action,conference'));
});
