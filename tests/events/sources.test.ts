// Per-source policy: an event that cannot be read stops a file the organizer edits, and is skipped (a warning) in a feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { formatFinding } from '../../src/events/finding.ts';
import { loadCalendar, requireValid, type SourceSpec } from '../../src/events/sources.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//test//EN',
  'BEGIN:VEVENT',
  'UID:good',
  'SUMMARY:Good',
  'DTSTART:20170101T100000Z',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:backwards',
  'SUMMARY:Backwards',
  'DTSTART:20170102T100000Z',
  'DTEND:20170102T090000Z',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:bad-date',
  'SUMMARY:Bad date',
  'DTSTART:20170230T100000Z',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const dir = mkdtempSync(join(tmpdir(), 'sources-'));
writeFileSync(join(dir, 'cal.ics'), ICS);
const opts = () => ({ cwd: dir, listTimezone: 'UTC', kinds: ['action'], defaultKind: 'action', nowMs: 0 });

test('a file is refused by default: each unreadable event is an error, and commands stop', async () => {
  const loaded = await loadCalendar(['cal.ics'], opts());
  assert.deepEqual(loaded.findings.filter((f) => f.severity === 'error').map(formatFinding), [
    'cal.ics:13:1: error: event UID backwards: end 2017-01-02T09:00:00 is before start 2017-01-02T10:00:00',
    'cal.ics:18:1: error: event UID bad-date: invalid start "20170230T100000Z"',
  ]);
  assert.throws(() => requireValid(loaded), /2 errors/);
});

test('onInvalidEvent: skip lists them as warnings naming UID and line, and keeps the rest', async () => {
  const loaded = await loadCalendar([{ path: 'cal.ics', onInvalidEvent: 'skip' }], opts());
  assert.deepEqual(loaded.findings.filter((f) => /skipped/.test(f.message)).map(formatFinding), [
    'cal.ics:13:1: warning: event UID backwards: end 2017-01-02T09:00:00 is before start 2017-01-02T10:00:00 (event skipped)',
    'cal.ics:18:1: warning: event UID bad-date: invalid start "20170230T100000Z" (event skipped)',
  ]);
  assert.deepEqual(requireValid(loaded).events.map((e) => e.id), ['good']);
});

test('a feed (over http on a loopback port) skips by default; onInvalidEvent: refuse makes it strict; a feed that does not parse still fails', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/feed.ics') res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>moved</html>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const url = `${base}/feed.ics`;
    const byDefault = await loadCalendar([url], opts());
    assert.equal(byDefault.findings.filter((f) => f.severity === 'error').length, 0);
    assert.deepEqual(byDefault.findings.filter((f) => f.skipped).map(formatFinding), [
      `${url}:13:1: warning: event UID backwards: end 2017-01-02T09:00:00 is before start 2017-01-02T10:00:00 (event skipped)`,
      `${url}:18:1: warning: event UID bad-date: invalid start "20170230T100000Z" (event skipped)`,
    ]);
    assert.deepEqual(requireValid(byDefault).events.map((e) => e.id), ['good']);
    const strict = await loadCalendar([{ url, onInvalidEvent: 'refuse' } satisfies SourceSpec], opts());
    assert.equal(strict.findings.filter((f) => f.severity === 'error').length, 2);
    const broken = await loadCalendar([`${base}/moved.ics`], opts());
    assert.match(formatFinding(broken.findings[0]), new RegExp(`^${base}/moved\\.ics:1:1: error: could not fetch the feed: HTTP 200 answered text/html, not a calendar$`));
  } finally {
    server.close();
  }
});

test('config: sources as a list of strings, a comma-separated env value, or objects with their own policy', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'sources-config-'));
  writeFileSync(
    join(cwd, 'event-digest.config.yaml'),
    ['events:', '  - data/events.yaml', '  - path: partners.ics', '    onInvalidEvent: skip', '  - url: https://example.org/feed.ics', '    onInvalidEvent: refuse', ''].join('\n'),
  );
  // Paths in the file mean its folder (made absolute); URLs stay as written.
  assert.deepEqual(loadConfig({ cwd, env: {} }).config.events, [join(cwd, 'data/events.yaml'), { path: join(cwd, 'partners.ics'), onInvalidEvent: 'skip' }, { url: 'https://example.org/feed.ics', onInvalidEvent: 'refuse' }]);
  assert.deepEqual(loadConfig({ cwd, env: { DIGEST_EVENTS: 'a.yaml, https://example.org/b.ics' } }).config.events, ['a.yaml', 'https://example.org/b.ics']);
  writeFileSync(join(cwd, 'event-digest.config.yaml'), ['events:', '  - path: a.ics', '    url: https://example.org/a.ics', ''].join('\n'));
  assert.throws(() => loadConfig({ cwd, env: {} }), /events\.0: give exactly one of path and url/);
  writeFileSync(join(cwd, 'event-digest.config.yaml'), ['events:', '  - path: a.ics', '    onInvalidEvent: ignore', ''].join('\n'));
  assert.throws(() => loadConfig({ cwd, env: {} }), /events\.0: expected a path or URL/);
});
