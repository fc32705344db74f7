// The command line as users and scripts see it: output, exit codes, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { run } from '../../src/cli/program.ts';
import { startFeedServer } from '../helpers/feed-server.ts';
import { engineEnv } from '../helpers/engines.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function cli(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd, env: { ...engineEnv(cwd), ...env }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('the installed bin prints the seed selection as the contract JSON', () => {
  const r = spawnSync(process.execPath, ['bin/event-digest.js', 'select', '--as-of', '2016-11-28', '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...engineEnv(ROOT), DIGEST_NOW: '' } });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.occurrences.map((o: { eventId: string; ongoing: boolean }) => [o.eventId, o.ongoing]), [
    ['nolameduck-uprising-2016', true],
    ['blueprint-for-a-great-democracy-2016', false],
    ['revolv-webinar-2016-12-06', false],
  ]);
  assert.deepEqual(json.saveTheDate.map((o: { eventId: string }) => o.eventId), ['future-of-left-and-independent-politics-2017']);
});

test('check on the seed: warnings only, exit 0, one line per finding and a summary', async () => {
  const r = await cli(['check'], { DIGEST_NOW: '2016-11-28T12:00:00Z' });
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  const setup = lines.filter((l) => l.startsWith('configuration: warning: '));
  assert.equal(setup.length, 4, r.out);
  assert.ok(lines.slice(0, -1 - setup.length).every((l) => /^data\/events\.yaml:\d+:\d+: warning: /.test(l)), r.out);
  assert.equal(lines.at(-1), '0 errors, 7 warnings; 4 valid events from 1 source; 4 configuration warnings before a real send');
});

test('check reports every error with its place and exits 1', async () => {
  const r = await cli(['check'], { DIGEST_EVENTS: 'tests/fixtures/yaml/bad-events.yaml' });
  assert.equal(r.code, 1);
  assert.equal(r.out.split('\n').filter((l) => l.includes(': error: ')).length, 10);
  assert.match(r.out, /^tests\/fixtures\/yaml\/bad-events\.yaml:10:5: error: unknown kind 'party'/m);
});

test('a source with errors is refused, never turned into an empty selection', async () => {
  const r = await cli(['select', '--as-of', '2016-11-28', '--json'], { DIGEST_EVENTS: 'data/events.yaml,tests/fixtures/yaml/bad-events.yaml' });
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /bad-events\.yaml:2:5: error: missing title/);
  assert.match(r.err.split('\n').at(-1) ?? '', /^event-digest: the event sources have 10 errors; nothing was done \(run 'event-digest check'\)$/);
  assert.doesNotMatch(r.err, /^\s+at /m);
  const missing = await cli(['select', '--as-of', '2016-11-28'], { DIGEST_EVENTS: 'data/nope.yaml' });
  assert.equal(missing.code, 1);
  assert.ok(missing.err.split('\n').includes(`data/nope.yaml:1:1: error: no such file (${join(ROOT, 'data/nope.yaml')})`), missing.err);
});

test('bad usage and bad configuration exit 2 with one line', async () => {
  for (const args of [['select', '--as-of', '2016-13-01'], ['select', '--tz', 'Mars/Olympus'], ['select', '--weeks', 'many'], ['select', '--bogus'], ['frobnicate']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.err.length > 0 && !/^\s+at /m.test(r.err), r.err);
  }
  assert.equal((await cli(['select', '--as-of', '2016-13-01'])).err, "event-digest: --as-of: '2016-13-01' is not a date (YYYY-MM-DD)");
  const cwd = mkdtempSync(join(tmpdir(), 'ed-cli-'));
  writeFileSync(join(cwd, 'event-digest.config.yaml'), 'weeks: 3\nfrom_address: x\n');
  const bad = await cli(['check'], {}, cwd);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, `event-digest: ${join(cwd, 'event-digest.config.yaml')}:2:1: unknown configuration key 'from_address'`);
});

test('--help for the program and every command exits 0 and lists the options', async () => {
  const top = await cli(['--help']);
  assert.equal(top.code, 0);
  for (const cmd of ['check', 'select', 'export-ics']) assert.match(top.out, new RegExp(`\\b${cmd}\\b`));
  const sel = await cli(['select', '--help']);
  assert.equal(sel.code, 0);
  for (const opt of ['--as-of', '--weeks', '--tz', '--json']) assert.ok(sel.out.includes(opt), opt);
});

test('DIGEST_NOW is the clock: select without --as-of starts today in the list zone', async () => {
  const r = await cli(['select', '--json'], { DIGEST_NOW: '2016-11-28T03:00:00Z' });
  // 03:00 UTC on the 28th is still the 27th in New York.
  assert.equal(JSON.parse(r.out).window.start, '2016-11-27T00:00:00-05:00');
  const bad = await cli(['select'], { DIGEST_NOW: 'yesterday' });
  assert.equal(bad.code, 2);
  assert.equal(bad.err, "event-digest: environment DIGEST_NOW: 'yesterday' is not an ISO 8601 instant");
});

test('export-ics round-trips: the exported calendar selects exactly like the YAML it came from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-export-'));
  const file = join(dir, 'events.ics');
  const exp = await cli(['export-ics', '--out', file], { DIGEST_NOW: '2016-11-20T00:00:00Z' });
  assert.equal(exp.code, 0, exp.err);
  assert.match(readFileSync(file, 'utf8'), /^BEGIN:VCALENDAR\r\n/);
  for (const asOf of ['2016-11-14', '2016-11-28', '2016-12-19']) {
    const fromYaml = JSON.parse((await cli(['select', '--as-of', asOf, '--json'])).out);
    const fromIcs = await cli(['select', '--as-of', asOf, '--json'], { DIGEST_EVENTS: file });
    assert.equal(fromIcs.code, 0, fromIcs.err);
    assert.deepEqual(JSON.parse(fromIcs.out), fromYaml, asOf);
  }
});

test('an ICS feed over http is a source; a feed that fails is an error, not an empty digest', async () => {
  const ics = readFileSync('tests/fixtures/ics/google-export.ics', 'utf8');
  const server = createServer((req, res) => {
    if (req.url === '/feed.ics') res.writeHead(200, { 'content-type': 'text/calendar' }).end(ics);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const good = await cli(['select', '--as-of', '2016-11-28', '--json'], { DIGEST_EVENTS: `${base}/feed.ics` });
    assert.equal(good.code, 0, good.err);
    assert.ok(JSON.parse(good.out).occurrences.length > 0);
    const gone = await cli(['select', '--as-of', '2016-11-28', '--json'], { DIGEST_EVENTS: `${base}/gone.ics` });
    assert.equal(gone.code, 1);
    assert.equal(gone.out, '');
    assert.match(gone.err, new RegExp(`^${base}/gone\\.ics:1:1: error: could not fetch the feed: HTTP 404, no content type$`, 'm'));
  } finally {
    server.close();
  }
});

test('select without --json: one readable line per occurrence in the zone asked for, grouped by day', async () => {
  const r = await cli(['select', '--as-of', '2016-11-28', '--tz', 'America/Chicago']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.split('\n'), [
    'Nov 28 – Dec 18, 2016 (America/Chicago): 3 events',
    '',
    'Mon, Nov 14 – Fri, Dec 16, all day (under way) · #NoLameDuck Uprising: Stop the TPP · Washington, DC',
    '',
    'Tue, Dec 6 – Wed, Dec 7, all day · Blueprint for a Great Democracy · Washington, DC',
    'Tue, Dec 6, 1:00 PM CST · RE-volv Webinar: Solar in Your Community Challenge · Online',
    '',
    'Save the date:',
    'Fri, Mar 3 – Sun, Mar 5, all day · Future of Left and Independent Politics Network · Chicago, IL',
  ]);
});

test('a rule that repeats every minute: check warns, select lists the first maxInstancesPerEvent and says so on stderr, the JSON stays whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ed-cli-minutely-'));
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//test//EN', 'BEGIN:VEVENT', 'UID:ticker', 'SUMMARY:Ticker', 'DTSTART:20161128T090000Z', 'RRULE:FREQ=MINUTELY', 'LOCATION:Online', 'END:VEVENT', 'END:VCALENDAR', ''];
  writeFileSync(join(dir, 'ticker.ics'), ics.join('\r\n'));
  const env = { DIGEST_EVENTS: 'ticker.ics', DIGEST_MAX_INSTANCES: '30', DIGEST_NOW: '2016-11-25T12:00:00Z' };
  const check = await cli(['check'], env, dir);
  assert.equal(check.code, 0, check.err);
  assert.match(check.out, /^ticker\.ics:8:1: warning: event UID ticker: recurrence: FREQ=MINUTELY repeats within a day/m);
  const select = await cli(['select', '--as-of', '2016-11-28', '--json'], env, dir);
  assert.equal(select.code, 0, select.err);
  assert.equal(JSON.parse(select.out).occurrences.length, 30);
  assert.equal(select.err, 'ticker.ics:8:1: warning: event UID ticker: more than 30 occurrences in the window 2016-11-28 – 2016-12-19; the first 30 are listed (maxInstancesPerEvent)');
});

test('an optional feed that fails: check warns and exits 0, select goes on without it; the same feed required stops select', async () => {
  const server = await startFeedServer();
  const dir = mkdtempSync(join(tmpdir(), 'ed-cli-optional-'));
  const url = `${server.base}/fail.ics`;
  const config = (optional: boolean) => writeFileSync(join(dir, 'event-digest.config.yaml'), `events:\n  - ${join(ROOT, 'data/events.yaml')}\n  - url: ${url}\n    optional: ${optional}\n`);
  try {
    config(true);
    const check = await cli(['check'], { DIGEST_NOW: '2016-11-25T12:00:00Z' }, dir);
    assert.equal(check.code, 0, check.err);
    assert.match(check.out, new RegExp(`^${url.replace(/\./g, '\\.')}:1:1: warning: could not fetch the feed: HTTP 500, text/plain; optional feed left out \\(no last good copy\\)$`, 'm'));
    const select = await cli(['select', '--as-of', '2016-11-28', '--json'], {}, dir);
    assert.equal(select.code, 0, select.err);
    assert.ok(JSON.parse(select.out).occurrences.length > 0);
    config(false);
    assert.equal((await cli(['select', '--as-of', '2016-11-28', '--json'], {}, dir)).code, 1);
  } finally {
    await server.close();
  }
});
