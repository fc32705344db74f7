// `preview`: the three files, the full MIME message and its headers, for a date, a zone and kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { run } from '../../src/cli/program.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd: ROOT, env: { DIGEST_NOW: '2016-11-27T15:00:00Z', ...env }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out, err: err.join('\n') };
}

test('preview writes digest.html, digest.txt and a digest.eml that parses as the contract says', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-preview-'));
  const r = await cli(['preview', '--as-of', '2016-11-28', '--tz', 'America/Los_Angeles', '--out', dir]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out, ['digest.html', 'digest.txt', 'digest.eml'].map((f) => join(dir, f)));
  const mail = await simpleParser(readFileSync(join(dir, 'digest.eml')));
  assert.equal(mail.subject, 'This week: 1 action, 1 webinar, 1 conference (Nov 28 – Dec 18)');
  assert.match(String(mail.headers.get('content-type') && (mail.headers.get('content-type') as { value: string }).value), /multipart\/alternative/);
  assert.equal(mail.messageId, '<preview.2016-11-28@event-digest.localhost>');
  assert.equal(mail.date?.toISOString(), '2016-11-27T15:00:00.000Z');
  const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
  assert.equal(header('list-id'), 'Event Digest <event-digest.localhost>');
  assert.equal(header('list-unsubscribe'), '<http://127.0.0.1:3000/unsubscribe/sample>');
  assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
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
  const env = { DIGEST_DB: join(dir, 'digest.db') };
  const add = await cli(['subscribers', 'add', 'Lee@Example.org', '--name', 'Lee', '--tz', 'America/Los_Angeles', '--kinds', 'webinar'], env);
  assert.equal(add.code, 0, add.err);
  const r = await cli(['preview', '--as-of', '2016-11-28', '--subscriber', 'lee@example.org', '--out', dir], env);
  assert.equal(r.code, 0, r.err);
  const mail = await simpleParser(readFileSync(join(dir, 'digest.eml')));
  assert.equal(mail.subject, 'This week: 1 webinar (Nov 28 – Dec 18)');
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
