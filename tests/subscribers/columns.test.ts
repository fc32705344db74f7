// `import --columns`: another tool's headers (a Google Forms export) mapped onto ours; first and last join into the
// name, the first name greets the reader in the mail as sent (smtp-server on 127.0.0.1, parsed with mailparser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSink } from '../helpers/smtp-sink.ts';
import { fixedClock } from '../../src/clock.ts';
import { openStore } from '../../src/store/open.ts';
import { cli, listJson, tempDir, writeFile } from './helpers.ts';
import { testDb } from '../helpers/engines.ts';

const FORMS = [
  'Timestamp,Email Address,First Name,Last Name',
  '2026/12/01 10:00:00 AM GMT-5,ann@example.org,Ann,Lee',
  '2026/12/01 10:05:00 AM GMT-5,bo@example.org,Bo,',
  '2026/12/01 10:07:00 AM GMT-5,carla@example.org,,Ruiz',
  '2026/12/01 10:09:00 AM GMT-5,not-an-address,Dan,Ode',
].join('\n');

test('a Google Forms export is refused whole without --columns: every unknown column listed, --columns suggested', async () => {
  const dir = tempDir();
  writeFile(dir, 'form.csv', FORMS);
  const r = await cli(dir, ['subscribers', 'import', 'form.csv']);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    `event-digest: form.csv:1: unknown columns 'Timestamp', 'Email Address', 'First Name', 'Last Name' in the header (columns: email, name, timezone, kinds, location, radius); map them with --columns "HEADER=FIELD,…" (fields: email, name, timezone, kinds, location, radius, first, last); nothing was imported`,
  );
  assert.deepEqual(await listJson(dir), []);
});

test('--columns maps the headers; first and last join into the name, the first name is kept; other columns are ignored and said so', async () => {
  const dir = tempDir();
  writeFile(dir, 'form.csv', FORMS);
  const r = await cli(dir, ['subscribers', 'import', 'form.csv', '--columns', 'Email Address=email,First Name=first,Last Name=last']);
  assert.equal(r.code, 1, 'one row is rejected');
  assert.deepEqual(r.out.split('\n'), [
    "form.csv: ignored column 'Timestamp' (not in --columns)",
    "form.csv:5: 'not-an-address' is not an email address (it needs exactly one @)",
    'imported 3, updated 0, rejected 1',
  ]);
  const list = (await listJson(dir)) as unknown as { email: string; name: string | null; firstName: string | null }[];
  assert.deepEqual(
    list.map((s) => [s.email, s.name, s.firstName]),
    [
      ['ann@example.org', 'Ann Lee', 'Ann'],
      ['bo@example.org', 'Bo', 'Bo'],
      ['carla@example.org', 'Ruiz', null],
    ],
  );
  // A bad mapping is a usage error; a mapped header missing from the file says which.
  const bad = await cli(dir, ['subscribers', 'import', 'form.csv', '--columns', 'Email Address=mail']);
  assert.deepEqual([bad.code, bad.err], [2, "event-digest: --columns: unknown field 'mail' for 'Email Address' (fields: email, name, timezone, kinds, location, radius, first, last)"]);
  const absent = await cli(dir, ['subscribers', 'import', 'form.csv', '--columns', 'E-mail=email']);
  assert.equal(absent.code, 1);
  assert.match(absent.err, /form\.csv:1: --columns names 'e-mail', which is not in the header \(Timestamp, Email Address, First Name, Last Name\); nothing was imported$/);
});

test('the first name greets the reader in the mail as sent; a new name without one drops it', async () => {
  const sink = await startSink();
  try {
    const dir = tempDir();
    writeFile(dir, 'event-digest.config.yaml', `events: ${join(import.meta.dirname, '../../data/events.yaml')}\nbaseUrl: https://digest.example.org\npostalAddress: 1 Main St, Springfield\n`);
    writeFile(dir, 'form.csv', FORMS);
    assert.equal((await cli(dir, ['subscribers', 'import', 'form.csv', '--columns', 'Email Address=email,First Name=first,Last Name=last'])).code, 1);
    const sent = await cli(dir, ['send', '--as-of', '2016-11-28'], { SMTP_URL: sink.url, DIGEST_NOW: '2016-11-28T12:00:00Z' });
    assert.equal(sent.code, 0, sent.err);
    const mails = new Map<string, Awaited<ReturnType<typeof simpleParser>>>();
    for (const m of sink.received) mails.set(m.to[0], await simpleParser(m.raw));
    const ann = mails.get('ann@example.org')!;
    assert.ok(ann.text?.includes('Hi Ann,'), ann.text);
    assert.ok(typeof ann.html === 'string' && ann.html.includes('Hi Ann,'));
    assert.equal(ann.to && !Array.isArray(ann.to) ? ann.to.value[0].name : undefined, 'Ann Lee', 'the To header keeps the full name');
    assert.ok(mails.get('carla@example.org')!.text?.includes('Hi Ruiz,'), 'no first name: the name greets');
    const preview = await cli(dir, ['preview', '--as-of', '2016-11-28', '--subscriber', 'ann@example.org']);
    assert.equal(preview.code, 0, preview.err);
    assert.ok(readFileSync(join(dir, 'out/digest.txt'), 'utf8').includes('Hi Ann,'), 'the preview greets as the mail does');
    // The reader renames themselves (preferences): the old first name no longer applies.
    const store = await openStore({ db: testDb(dir), clock: fixedClock(new Date('2016-11-29T00:00:00Z')), defaultTimezone: 'America/New_York' });
    try {
      const before = (await store.subscribers.findByEmail('ann@example.org'))!;
      const after = (await store.subscribers.updatePreferences(before.id, { name: 'Annie Lee' }))!;
      assert.deepEqual([after.name, after.firstName], ['Annie Lee', null]);
    } finally {
      await store.close();
    }
  } finally {
    await sink.close();
  }
});
