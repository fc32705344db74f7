// One loaded calendar, shared: pages answer from memory, a visitor never starts a fetch, the clock's TTL and file edits reload it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedRead } from '../../src/events/feeds/read.ts';
import { sharedCalendar, type SharedCalendar } from '../../src/events/shared-calendar.ts';
import { loadCalendar } from '../../src/events/sources.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';

const TTL = 5 * 60_000;
let feeds: FeedServer;
let w: WebEnv;
let shared: SharedCalendar;

before(async () => {
  feeds = await startFeedServer();
  feeds.flaky = 'ok';
  const memo = new Map<string, FeedRead>();
  w = await webEnv({
    loadEvents: ({ dir, clock, config }) => {
      const events = [join(dir, 'events.yaml'), `${feeds.base}/flaky.ics`];
      shared = sharedCalendar({
        clock,
        ttlMs: TTL,
        files: [events[0]],
        load: (offline) =>
          loadCalendar(events, {
            cwd: dir, listTimezone: config.timezone, kinds: config.kinds, defaultKind: config.defaultKind, nowMs: clock.now().getTime(),
            feeds: { dir: 'var/feeds', memo, offline, limits: { timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 5, allowPrivate: false } },
          }),
      });
      return () => shared.get();
    },
  });
  await shared.refresh();
});
after(async () => {
  await w.close();
  await feeds.close();
});

const fetches = () => feeds.hits.get('/flaky.ics') ?? 0;
async function visit(n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await w.req(i % 2 === 0 ? '/calendar.ics' : '/events/ally-1@feed.ics')).status);
  return statuses;
}

it('N requests to /calendar.ics and /events/ID.ics cause no fetch; the TTL on the clock lets one timer tick fetch once', async () => {
  assert.equal(fetches(), 1, 'the load at start');
  assert.deepEqual(await visit(20), Array(20).fill(200));
  assert.match(await (await w.req('/events/ally-1@feed.ics')).text(), /SUMMARY:Ally meetup/);
  await shared.tick();
  assert.equal(fetches(), 1, 'within the TTL a tick does nothing');
  w.clock.advance(TTL);
  assert.deepEqual(await visit(20), Array(20).fill(200));
  assert.equal(fetches(), 1, 'past the TTL, requests still do not fetch');
  await Promise.all([shared.tick(), shared.tick(), shared.tick()]);
  assert.equal(fetches(), 2, 'one refresh, however many ticks overlap');
  assert.equal(feeds.lastHeaders.get('/flaky.ics')?.['if-none-match'], '"v1"', 'a conditional request');
});

it('an edited events file shows on the next request, without fetching the feeds', async () => {
  const file = join(w.dir, 'events.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Blueprint for a Great Democracy', 'Blueprint, edited'));
  const before = fetches();
  const body = await (await w.req('/calendar.ics')).text();
  assert.match(body, /SUMMARY:Blueprint\\, edited/);
  assert.equal(fetches(), before);
});

it('a required feed that fails: /calendar.ics answers 503 like the archive, not a partial calendar', async () => {
  feeds.flaky = 'fail';
  w.clock.advance(TTL);
  await shared.tick();
  assert.equal((await w.req('/calendar.ics')).status, 503);
  assert.equal((await w.req('/events/ally-1@feed.ics')).status, 503);
  feeds.flaky = 'ok';
});
