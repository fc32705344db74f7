// `preview`: the three files, the full MIME message and its headers, for a date, a zone and kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { run } from '../../src/cli/program.ts';
import { heavyCalendarYaml } from '../helpers/events.ts';
import { engineEnv, testDb } from '../helpers/engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd: ROOT, env: { DIGEST_NOW: '2016-11-27T15:00:00Z', ...engineEnv(ROOT), ...env }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out, err: err.join('\n') };
}

test('preview writes digest.html, digest.txt and a digest.eml that parses as the contract says', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-preview-'));
  const r = await cli(['preview', '--as-of', '2016-11-28', '--tz', 'America/Los_Angeles', '--out', dir]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out, ['digest.html', 'digest.txt', 'digest.eml'].map((f) => join(dir, f)));
  const mail = await simpleParser(readFileSync(join(dir, 'digest.eml')));
  assert.equal(mail.subject, 'Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more (Nov 28 – Dec 18)');
  assert.match(String(mail.headers.get('content-type') && (mail.headers.get('content-type') as { value: string }).value), /multipart\/alternative/);
  assert.equal(mail.messageId, '<preview.2016-11-28@event-digest.localhost>');
  assert.equal(mail.date?.toISOString(), '2016-11-27T15:00:00.000Z');
  const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
  assert.equal(header('list-id'), 'Event Digest <event-digest.localhost>');
  assert.equal(header('list-unsubscribe'), '<http://127.0.0.1:3000/unsubscribe/sample>');
  assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
  assert.equal(header('list-archive'), '<http://127.0.0.1:3000/archive>');
  assert.equal(header('list-subscribe'), '<http://127.0.0.1:3000/subscribe>');
  assert.equal(header('precedence'), 'bulk');
  assert.equal(mail.replyTo, undefined, 'no Reply-To unless configured');
  // The signature separator keeps its space, so mail readers find the footer.
  assert.match(mail.text ?? '', /\n-- \nSubscribe to the calendar: /);
  assert.ok(mail.text?.includes('Tue, Dec 6 · 11:00 AM – 12:00 PM PST'));
  assert.ok(typeof mail.html === 'string' && mail.html.includes('RE-volv Webinar'));
  assert.equal(mail.text?.trimEnd(), readFileSync(join(dir, 'digest.txt'), 'utf8').trimEnd());
  assert.equal(mail.html, readFileSync(join(dir, 'digest.html'), 'utf8'));
});

test('preview --kinds narrows the digest; an unknown kind or zone is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-preview-'));
  const r = await cli(['preview', '--as-of', '2016-11-28', '--kinds', 'conference', '--out', dir]);
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(join(dir, 'digest.txt'), 'utf8');
  assert.ok(text.includes('Blueprint for a Great Democracy'));
  assert.ok(!text.includes('RE-volv'));
  const bad = await cli(['preview', '--kinds', 'party', '--out', dir]);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, "event-digest: --kinds: unknown kind 'party' (known: action, webinar, conference)");
  const zone = await cli(['preview', '--tz', 'Nowhere/Land', '--out', join(dir, 'x')]);
  assert.equal(zone.code, 2);
  assert.ok(!existsSync(join(dir, 'x')));
});

test('preview --subscriber renders with that subscriber’s zone, kinds, name and signed links', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-preview-'));
  const env = { DIGEST_DB: testDb(dir, 'digest.db') };
  const add = await cli(['subscribers', 'add', 'Lee@Example.org', '--name', 'Lee', '--tz', 'America/Los_Angeles', '--kinds', 'webinar'], env);
  assert.equal(add.code, 0, add.err);
  const r = await cli(['preview', '--as-of', '2016-11-28', '--subscriber', 'lee@example.org', '--out', dir], env);
  assert.equal(r.code, 0, r.err);
  const mail = await simpleParser(readFileSync(join(dir, 'digest.eml')));
  assert.equal(mail.subject, 'Dec 6: RE-volv Webinar (Nov 28 – Dec 18)');
  assert.ok(mail.text?.includes('Hi Lee,'));
  assert.ok(mail.text?.includes('Tue, Dec 6 · 11:00 AM – 12:00 PM PST'));
  assert.ok(!mail.text?.includes('Blueprint'));
  const url = /Unsubscribe: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  assert.match(url, /^http:\/\/127\.0\.0\.1:3000\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.ok(!url.toLowerCase().includes('lee'), 'no address in the link');
  const { openStore } = await import('../../src/store/open.ts');
  const { verifyToken } = await import('../../src/subscribers/tokens.ts');
  const { systemClock } = await import('../../src/clock.ts');
  const store = await openStore({ db: env.DIGEST_DB, clock: systemClock, defaultTimezone: 'America/New_York' });
  try {
    assert.equal(verifyToken(await store.meta.linkSecret(), 'unsubscribe', url.split('/').pop() ?? ''), (await store.subscribers.findByEmail('lee@example.org'))?.id);
  } finally {
    await store.close();
  }
  const missing = await cli(['preview', '--subscriber', 'nobody@example.org', '--out', dir], env);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'event-digest: --subscriber: no subscriber nobody@example.org');
});

test('note ISSUE --file: the note opens that issue (HTML, text, parsed from the .eml), not the next; --clear removes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-note-'));
  const env = { DIGEST_DB: testDb(dir, 'digest.db'), DIGEST_REPLY_TO: 'Organizers <team@example.org>' };
  writeFileSync(join(dir, 'note.md'), 'No meetings on **Dec 24**. Read the [report](https://example.org/report).\n');
  const set = await cli(['note', '2016-11-28', '--file', join(dir, 'note.md')], env);
  assert.equal(set.code, 0, set.err);
  assert.match(set.out.join('\n'), /the 2016-11-28 issue will open with the note/);
  assert.deepEqual((await cli(['note', '2016-11-28'], env)).out, ['No meetings on **Dec 24**. Read the [report](https://example.org/report).']);
  const r = await cli(['preview', '--as-of', '2016-11-28', '--out', join(dir, 'a')], env);
  assert.equal(r.code, 0, r.err);
  const mail = await simpleParser(readFileSync(join(dir, 'a', 'digest.eml')));
  assert.ok(String(mail.html).includes('No meetings on <strong>Dec 24</strong>. Read the <a href="https://example.org/report">report</a>.'));
  assert.ok(mail.text?.includes('No meetings on Dec 24. Read the report (https://example.org/report).'), mail.text);
  assert.deepEqual(mail.replyTo?.value.map((a) => [a.name, a.address]), [['Organizers', 'team@example.org']]);
  const next = await cli(['preview', '--as-of', '2016-12-05', '--out', join(dir, 'b')], env);
  assert.equal(next.code, 0, next.err);
  assert.ok(!readFileSync(join(dir, 'b', 'digest.txt'), 'utf8').includes('No meetings'), 'another issue has no note');
  assert.deepEqual((await cli(['note', '2016-11-28', '--clear'], env)).out, ['removed the note of the 2016-11-28 issue']);
  assert.match((await cli(['note', '2016-11-28'], env)).out.join(''), /has no note/);
  // Bad input: one clear line each, nothing stored.
  writeFileSync(join(dir, 'long.md'), 'x'.repeat(2001));
  for (const [args, message] of [
    [['note', '2016-11-28', '--file', join(dir, 'long.md')], /has 2001 characters; a note holds at most 2000/],
    [['note', '2016-11-28', '--file', join(dir, 'missing.md')], /--file: cannot read '.*missing\.md': ENOENT/],
    [['note', '28.11.2016', '--file', join(dir, 'note.md')], /ISSUE: '28\.11\.2016' is not an issue date/],
    [['note', '2016-11-28', '--file', join(dir, 'note.md'), '--clear'], /use either --file or --clear/],
  ] as const) {
    const bad = await cli([...args], env);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, message);
  }
  assert.match((await cli(['note', '2016-11-28'], env)).out.join(''), /has no note/);
});

test('preview and send warn with the size when Gmail would clip the HTML', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-clip-'));
  writeFileSync(join(dir, 'events.yaml'), heavyCalendarYaml(70));
  const env = { DIGEST_EVENTS: join(dir, 'events.yaml'), DIGEST_MAX_PER_SECTION: '100' };
  const r = await cli(['preview', '--as-of', '2016-11-28', '--out', join(dir, 'out')], env);
  assert.equal(r.code, 0, r.err);
  const bytes = Buffer.byteLength(readFileSync(join(dir, 'out', 'digest.html')));
  assert.ok(bytes > 102 * 1024, `${bytes}`);
  assert.match(r.err, new RegExp(`warning: the HTML is ${(bytes / 1024).toFixed(1)} KB: Gmail clips past 102\\.0 KB`));
  // send says it too, before mailing, once per variant (here a dry run: nothing leaves).
  const db = { ...env, DIGEST_DB: testDb(dir, 'digest.db') };
  assert.equal((await cli(['subscribers', 'add', 'ana@example.org'], db)).code, 0);
  const send = await cli(['send', '--as-of', '2016-11-28', '--dry-run'], db);
  assert.equal(send.code, 0, send.err);
  assert.match(send.err, /warning: readers in America\/New_York \(every kind\): the HTML is [\d.]+ KB: Gmail clips past 102\.0 KB/);
  // At the default of 10 per section the same calendar fits, and nothing is said.
  const fits = await cli(['preview', '--as-of', '2016-11-28', '--out', join(dir, 'fits')], { DIGEST_EVENTS: env.DIGEST_EVENTS });
  assert.equal(fits.code, 0, fits.err);
  assert.doesNotMatch(fits.err, /Gmail clips/);
  assert.match(readFileSync(join(dir, 'fits', 'digest.txt'), 'utf8'), /60 more actions in the full list/);
});
