// Live feeds against a 127.0.0.1 server: conditional requests against the last good copy, gzip, bounds on time, size and
// redirects, optional feeds standing in with their last good copy, and which addresses a redirect may reach.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFinding } from '../../src/events/finding.ts';
import { isInternalAddress } from '../../src/events/feeds/address.ts';
import type { FeedLookup } from '../../src/events/feeds/fetch.ts';
import { loadCalendar, type SourceOptions, type SourceSpec } from '../../src/events/sources.ts';
import { ETAG, SECRET_BODY, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2016-11-25T12:00:00Z');
let server: FeedServer;
before(async () => (server = await startFeedServer()));
after(() => server.close());

function options(nowMs: number, dir: string, extra: { lookup?: FeedLookup; allowPrivate?: boolean; maxBytes?: number } = {}): SourceOptions {
  return {
    cwd: dir,
    listTimezone: 'UTC',
    kinds: ['action'],
    defaultKind: 'action',
    nowMs,
    // A short timeout bounds the hang (the default is 20 s); the size limit is small so the big body passes it quickly.
    feeds: { dir: 'var/feeds', limits: { timeoutMs: 300, maxBytes: extra.maxBytes ?? 1_000_000, maxRedirects: 5, allowPrivate: extra.allowPrivate ?? false, lookup: extra.lookup } },
    maxFileBytes: 1_000_000,
  };
}

const lines = (findings: { path: string }[]) => findings.map((f) => formatFinding(f as never)).join('\n');
const freshDir = () => mkdtempSync(join(tmpdir(), 'ed-feeds-'));

describe('fetching a feed', () => {
  it('200 with gzip keeps a last good copy (0700 dir, 0600 files under umask 022); the next load sends the validators and a 304 reuses it', async () => {
    const dir = freshDir();
    const url = `${server.base}/feed.ics`;
    const old = process.umask(0o022);
    try {
      const first = await loadCalendar([url], options(T0, dir));
      assert.deepEqual(first.findings, []);
      assert.deepEqual(first.calendar.events.map((e) => e.id), ['ally-1@feed']);
      assert.match(String(server.lastHeaders.get('/feed.ics')?.['accept-encoding']), /gzip/);
      const feeds = join(dir, 'var/feeds');
      assert.equal(statSync(feeds).mode & 0o777, 0o700);
      for (const f of readdirSync(feeds)) assert.equal(statSync(join(feeds, f)).mode & 0o777, 0o600, f);
    } finally {
      process.umask(old);
    }
    const again = await loadCalendar([url], options(T0 + HOUR, dir));
    assert.equal(server.lastHeaders.get('/feed.ics')?.['if-none-match'], ETAG);
    assert.deepEqual(again.findings, []);
    assert.deepEqual(again.calendar.events.map((e) => e.id), ['ally-1@feed'], 'the 304 answered from the last good copy');
  });

  const failures: [string, RegExp][] = [
    ['/fail.ics', /error: could not fetch the feed: HTTP 500, text\/plain$/],
    ['/hang.ics', /error: could not fetch the feed: no complete answer within 0\.3 s$/],
    ['/loop.ics', /error: could not fetch the feed: more than 5 redirects \(last to http:\/\/127\.0\.0\.1:\d+\/loop\.ics\)$/],
    ['/big.ics', /error: could not fetch the feed: the feed is over the limit of 1000000 bytes; refused$/],
    ['/page.ics', /error: could not fetch the feed: HTTP 200 answered text\/html; charset=utf-8, not a calendar$/],
    ['/text.ics', /error: could not fetch the feed: HTTP 200 answered text\/plain that is not a calendar \(no BEGIN:VCALENDAR\)$/],
    ['/to-file', /error: could not fetch the feed: redirected to a file: URL; only http and https are followed$/],
  ];
  for (const [path, expected] of failures) {
    it(`a required feed answering ${path} is one error naming URL, status and type, never the body`, async () => {
      const loaded = await loadCalendar([`${server.base}${path}`], options(T0, freshDir()));
      assert.equal(loaded.findings.length, 1, lines(loaded.findings));
      assert.equal(loaded.findings[0].path, `${server.base}${path}`);
      assert.match(formatFinding(loaded.findings[0]), expected);
      assert.ok(!lines(loaded.findings).includes(SECRET_BODY));
    });
  }
});

describe('an optional feed', () => {
  const spec = (maxStaleHours?: number): SourceSpec[] => [{ url: `${server.base}/flaky.ics`, optional: true, ...(maxStaleHours === undefined ? {} : { maxStaleHours }) }];

  it('that fails stands in with its last good copy while younger than maxStaleHours (72 by default), then is left out; both are warnings', async () => {
    const dir = freshDir();
    server.flaky = 'ok';
    assert.deepEqual((await loadCalendar(spec(), options(T0, dir))).findings, []);
    server.flaky = 'fail';
    try {
      const stale = await loadCalendar(spec(), options(T0 + 71 * HOUR, dir));
      assert.deepEqual(stale.calendar.events.map((e) => e.id), ['ally-1@feed']);
      assert.match(lines(stale.findings), /:1:1: warning: could not fetch the feed: HTTP 500, text\/plain; optional feed: using its last good copy, 71 h old$/);
      assert.ok(stale.findings.every((f) => f.severity === 'warning'));
      const gone = await loadCalendar(spec(), options(T0 + 73 * HOUR, dir));
      assert.deepEqual(gone.calendar.events, []);
      assert.match(lines(gone.findings), /warning: could not fetch the feed: HTTP 500, text\/plain; optional feed left out \(its last good copy is 73 h old, over maxStaleHours 72\)$/);
      const tight = await loadCalendar(spec(2), options(T0 + 3 * HOUR, dir));
      assert.deepEqual(tight.calendar.events, [], 'maxStaleHours per source');
    } finally {
      server.flaky = 'ok';
    }
  });

  it('never fetched and failing is left out with a warning; the same feed required is an error', async () => {
    const url = `${server.base}/fail.ics`;
    const optional = await loadCalendar([{ url, optional: true }], options(T0, freshDir()));
    assert.match(lines(optional.findings), /warning: .*optional feed left out \(no last good copy\)$/);
    const required = await loadCalendar([{ url }], options(T0, freshDir()));
    assert.equal(required.findings[0].severity, 'error');
  });
});

describe('where a feed may reach', () => {
  // The redirect test needs a public-looking name that still reaches the test server: DNS is injected so that
  // feed.example.test resolves to 127.0.0.1. The configured URL is the organizer's choice and is fetched; its redirect
  // to 127.0.0.1 is what must be refused, since only a configured URL written as a loopback/private address may lead there.
  const lookup: FeedLookup = async (host) => (host === 'feed.example.test' ? [{ address: '127.0.0.1', family: 4 }] : Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' })));

  it('a redirect from a public name to loopback is refused; allowPrivateFeeds allows it; a configured loopback URL may redirect to loopback', async () => {
    const url = `http://feed.example.test:${server.port}/to-feed.ics`;
    const refused = await loadCalendar([url], options(T0, freshDir(), { lookup }));
    assert.match(lines(refused.findings), new RegExp(`error: could not fetch the feed: redirected to http://127\\.0\\.0\\.1:${server.port}/feed\\.ics, a loopback, private or link-local address; refused`));
    const lan = await loadCalendar([url], options(T0, freshDir(), { lookup, allowPrivate: true }));
    assert.deepEqual(lan.findings, []);
    const local = await loadCalendar([`${server.base}/to-feed.ics`], options(T0, freshDir()));
    assert.deepEqual(local.findings, []);
    assert.deepEqual(local.calendar.events.map((e) => e.id), ['ally-1@feed']);
  });

  it('a local events file over the cap is an error naming its size', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1_000_100)}\n`);
    const loaded = await loadCalendar(['big.yaml'], options(T0, dir));
    assert.equal(formatFinding(loaded.findings[0]), 'big.yaml:1:1: error: the file is 1000103 bytes, over the limit of 1000000 (limits.eventsFileMaxBytes)');
  });
});

describe('internal addresses', () => {
  it('loopback, private, CGNAT, link-local and metadata addresses (v4, v6, v4-mapped) are internal; public ones are not', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.5', '100.64.0.1', '169.254.169.254', '0.0.0.0', '::1', '::', 'fd00:ec2::254', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254']) {
      assert.equal(isInternalAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '172.32.0.1']) assert.equal(isInternalAddress(a), false, a);
  });
});
