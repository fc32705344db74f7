// The scheduler's decisions with a moved clock against a real loopback SMTP sink: the regular run,
// catch-up inside and outside the grace period, a run refused by check, holds, the review mail,
// two schedulers at once, and weeks of runs through restarts and a DST change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { writePartnerFeed } from '../helpers/partner-feed.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heavyCalendarYaml } from '../helpers/events.ts';
import { breakCalendar, scheduleEnv, subscribe } from '../helpers/schedule-env.ts';
import { startFeedServer } from '../helpers/feed-server.ts';

const MONDAY_0800 = '2016-11-28T13:00:00Z'; // 08:00 in New York (EST)

const recipients = (received: { to: string[] }[]) => received.flatMap((r) => r.to).sort();

describe('the regular run', () => {
  it('at 08:00 on Monday sends the week to every active subscriber, once, dated then', async () => {
    const e = await scheduleEnv({ now: MONDAY_0800 });
    try {
      await subscribe(e.store, 5);
      const s = await e.scheduler();
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 5);
      for (const m of await e.mails()) assert.equal(m.date?.toISOString(), '2016-11-28T13:00:00.000Z');
      const run = (await e.store.schedule.run(s.list, '2016-11-28T13:00:00.000Z'))!;
      assert.deepEqual([run.state, run.windowStart, run.sent, run.attempts], ['sent', '2016-11-28', 5, 1]);
      e.clock.advance(60_000);
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 5, 'a later pass sends nothing more');
      assert.ok(e.logs.some((l) => l.event === 'run.sent' && l.sent === 5));
    } finally {
      await e.close();
    }
  });

  it('before the first scheduled time nothing happens', async () => {
    const e = await scheduleEnv({ now: '2016-11-20T12:00:00Z' }); // the database is made on 20 November
    try {
      await subscribe(e.store, 2);
      e.clock.advance(Date.parse('2016-11-28T12:59:59Z') - Date.parse('2016-11-20T12:00:00Z'));
      const s = await e.scheduler();
      await s.reconcile('start');
      // The latest time before now is 21 November's, more than 12 h ago: missed, not sent.
      assert.equal(e.sink.received.length, 0);
      assert.equal((await e.store.schedule.run(s.list, '2016-11-21T13:00:00.000Z'))?.state, 'missed');
    } finally {
      await e.close();
    }
  });

  it("a new database's first start does not report the slots from before it existed", async () => {
    const e = await scheduleEnv({ now: '2016-11-28T12:59:59Z' });
    try {
      await subscribe(e.store, 2);
      const s = await e.scheduler();
      await s.reconcile('start');
      assert.equal(e.sink.received.length, 0);
      assert.equal(await e.store.schedule.run(s.list, '2016-11-21T13:00:00.000Z'), undefined);
      assert.deepEqual(await e.store.schedule.latestRuns(s.list, 10), []);
      assert.ok(!e.logs.some((l) => l.level === 'warn'), JSON.stringify(e.logs));
      // Its first slot is its own: sent at 08:00.
      e.clock.advance(1000);
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 2);
    } finally {
      await e.close();
    }
  });
});

describe('catch-up', () => {
  it('inside the grace period: sends on start, late', async () => {
    const e = await scheduleEnv({ now: '2016-11-28T18:00:00Z' }); // 5 h late
    try {
      await subscribe(e.store, 3);
      await (await e.scheduler()).reconcile('start');
      assert.equal(e.sink.received.length, 3);
    } finally {
      await e.close();
    }
  });

  it('outside it: records the run as missed, says so, sends nothing', async () => {
    const e = await scheduleEnv({ now: '2016-11-27T12:00:00Z' }); // the database is older than the slot
    try {
      await subscribe(e.store, 3);
      e.clock.set('2016-11-29T02:00:00Z'); // 13 h late
      const s = await e.scheduler();
      await s.reconcile('start');
      assert.equal(e.sink.received.length, 0);
      const run = (await e.store.schedule.run(s.list, '2016-11-28T13:00:00.000Z'))!;
      assert.equal(run.state, 'missed');
      assert.match(run.detail!, /13\.0 h after its time, past the 12 h grace period/);
      assert.ok(e.logs.some((l) => l.event === 'run.missed' && l.level === 'warn'));
      e.clock.advance(3600_000);
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 0, 'missed stays missed');
    } finally {
      await e.close();
    }
  });

  it('a grace period from configuration', async () => {
    const e = await scheduleEnv({ now: '2016-11-29T02:00:00Z', config: { scheduler: { graceHours: 24 } } });
    try {
      await subscribe(e.store, 2);
      await (await e.scheduler()).reconcile('start');
      assert.equal(e.sink.received.length, 2);
    } finally {
      await e.close();
    }
  });
});

describe('refused by check', () => {
  it('records why and sends nothing; once the calendar is fixed, the next pass after the retry interval sends', async () => {
    const e = await scheduleEnv({ now: MONDAY_0800 });
    const restore = breakCalendar(e.eventsPath);
    try {
      await subscribe(e.store, 2);
      const s = await e.scheduler();
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 0);
      const run = (await e.store.schedule.run(s.list, '2016-11-28T13:00:00.000Z'))!;
      assert.equal(run.state, 'refused');
      assert.match(run.detail!, /check found 1 error; first: .*events\.yaml:\d+:\d+: error:/);
      assert.ok(e.logs.some((l) => l.event === 'run.refused' && l.level === 'error'));
      restore();
      e.clock.advance(5 * 60_000);
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 0, 'not before the retry interval');
      e.clock.advance(11 * 60_000);
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 2);
      assert.equal((await e.store.schedule.run(s.list, '2016-11-28T13:00:00.000Z'))!.state, 'sent');
    } finally {
      restore();
      await e.close();
    }
  });
});

describe('hold and release', () => {
  it('a held issue waits; released, it goes at the next pass, late but whole', async () => {
    const e = await scheduleEnv({ now: MONDAY_0800 });
    try {
      await subscribe(e.store, 2);
      const s = await e.scheduler();
      await e.store.schedule.hold(s.list, '2016-11-28');
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 0);
      assert.equal((await e.store.schedule.run(s.list, '2016-11-28T13:00:00.000Z'))!.state, 'held');
      e.clock.advance(20 * 3600_000); // past the grace period: a release still lets it go
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 0);
      assert.equal(await e.store.schedule.release(s.list, '2016-11-28'), true);
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 2);
    } finally {
      await e.close();
    }
  });
});

describe('the review mail', () => {
  it('warns, with the size, when Gmail would clip the issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ed-heavy-'));
    writeFileSync(join(dir, 'events.yaml'), heavyCalendarYaml(70));
    const e = await scheduleEnv({ now: '2016-11-27T13:30:00Z', config: { events: [join(dir, 'events.yaml')], maxPerSection: 100, scheduler: { review: { hoursBefore: 24, to: ['organizer@example.org'] } } } });
    try {
      await (await e.scheduler()).reconcile('tick');
      const [m] = await e.mails();
      assert.match(m.text ?? '', /Warning: the HTML is [\d.]+ KB: Gmail clips past 102\.0 KB/);
    } finally {
      await e.close();
    }
  });

  it('goes to the organizers once, N hours before, with the preview link and the hold command', async () => {
    const e = await scheduleEnv({ now: '2016-11-27T12:00:00Z', config: { scheduler: { review: { hoursBefore: 24, to: ['organizer@example.org'] } } } });
    try {
      await subscribe(e.store, 2);
      const s = await e.scheduler();
      await s.reconcile('tick');
      assert.equal(e.sink.received.length, 0, '25 h before: too early');
      e.clock.set('2016-11-27T13:30:00Z');
      await s.reconcile('tick');
      await (await e.restart(s)).reconcile('tick');
      assert.deepEqual(recipients(e.sink.received), ['organizer@example.org']);
      const [m] = await e.mails();
      assert.match(m.subject ?? '', /^\[Review\] Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more/);
      assert.match(m.text ?? '', /goes out Monday 28 November at 08:00 EST/);
      assert.doesNotMatch(m.text ?? '', /Gmail clips/, 'the seed week is far under the limit');
      assert.match(m.text ?? '', /event-digest hold 2016-11-28/);
      assert.match(m.text ?? '', /http:\/\/127\.0\.0\.1:3000\/admin\?date=2016-11-28/);
    } finally {
      await e.close();
    }
  });
});

describe('the review mail and an optional feed that fails', () => {
  it('lists the failure as a warning naming the URL and status, and the issue is still built', async () => {
    const feeds = await startFeedServer();
    const url = `${feeds.base}/fail.ics`;
    const e = await scheduleEnv({
      now: '2016-11-27T13:30:00Z',
      config: { scheduler: { review: { hoursBefore: 24, to: ['organizer@example.org'] } } },
      events: (seed) => [seed, { url, optional: true }],
    });
    try {
      await (await e.scheduler()).reconcile('tick');
      const [m] = await e.mails();
      assert.doesNotMatch(m.text ?? '', /has errors/);
      assert.match(m.text ?? '', new RegExp(`- ${url.replace(/\./g, '\\.')}:1:1: warning: could not fetch the feed: HTTP 500, text/plain; optional feed left out \\(no last good copy\\)`));
    } finally {
      await e.close();
      await feeds.close();
    }
  });
});

describe('the review mail and a feed that skips', () => {
  it('names each event left out (its UID and line) and each event cut at the cap', async () => {
    const feed = writePartnerFeed('FREQ=MINUTELY');
    const e = await scheduleEnv({
      now: '2016-11-27T13:30:00Z',
      config: { scheduler: { review: { hoursBefore: 24, to: ['organizer@example.org'] } }, maxInstancesPerEvent: 50 },
      events: (seed) => [seed, { path: feed, onInvalidEvent: 'skip' }],
    });
    try {
      await (await e.scheduler()).reconcile('tick');
      const [m] = await e.mails();
      assert.match(m.text ?? '', new RegExp(`- ${feed}:\\d+:1: warning: event UID backwards@partners: end .* is before start .* \\(event skipped\\)`));
      assert.match(m.text ?? '', new RegExp(`- ${feed}:\\d+:1: warning: event UID ticker@partners: more than 50 occurrences in the window 2016-11-28 – `));
      assert.match(m.html || '', /event UID backwards@partners: .*\(event skipped\)<br>/);
    } finally {
      await e.close();
    }
  });
});

describe('two schedulers at once (two daemons)', () => {
  it('each subscriber gets one copy', async () => {
    const e = await scheduleEnv({ now: MONDAY_0800, sink: { delayMs: 5 } });
    try {
      await subscribe(e.store, 40);
      const [a, b] = [await e.scheduler(), await e.scheduler()];
      await Promise.all([a.reconcile('cron'), b.reconcile('cron'), a.reconcile('cron')]);
      e.clock.advance(60_000);
      await Promise.all([a.reconcile('tick'), b.reconcile('tick')]);
      const to = recipients(e.sink.received);
      assert.equal(to.length, 40);
      assert.equal(new Set(to).size, 40);
    } finally {
      await e.close();
    }
  });
});

describe('weeks of the schedule with a fast clock', () => {
  it('every non-empty week reaches every subscriber exactly once at 08:00 local, through restarts, sleeps and the November DST change', async () => {
    const e = await scheduleEnv({ now: '2016-10-17T00:00:00Z' });
    try {
      await subscribe(e.store, 6);
      await e.store.subscribers.add({ email: 'berlin@example.org', timezone: 'Europe/Berlin' }, { source: 'test' });
      let s = await e.scheduler();
      // Passes at each scheduled time, between them, and sometimes a "restart" (a new scheduler,
      // its own connection and pool) or a long "sleep" that wakes the process a few hours late.
      let t = DateTime.fromISO('2016-10-17T00:00:00', { zone: 'America/New_York' });
      const end = DateTime.fromISO('2017-01-09T00:00:00', { zone: 'America/New_York' });
      let step = 0;
      while (t < end) {
        step++;
        t = t.plus({ hours: step % 7 === 0 ? 5 : 1 });
        const next = s.nextRun()!;
        // A pass exactly at the scheduled time when the clock crosses it, except in the sleeping week.
        const sleeping = next.toISODate() === '2016-11-14';
        if (next <= t && !sleeping) {
          e.clock.set(next.toUTC().toISO()!);
          await s.reconcile('cron');
        }
        e.clock.set(t.toUTC().toISO()!);
        if (step % 50 === 0) s = await e.restart(s);
        await s.reconcile('tick');
      }
      const mails = await e.mails();
      const byWeek = new Map<string, string[]>();
      for (const m of mails) {
        const local = DateTime.fromJSDate(m.date!, { zone: 'America/New_York' });
        const key = local.toISODate()!;
        byWeek.set(key, [...(byWeek.get(key) ?? []), ...(Array.isArray(m.to) ? [] : m.to!.value.map((v) => v.address!))]);
        if (key !== '2016-11-14') assert.equal(local.toFormat('ccc HH:mm'), 'Mon 08:00', `${m.date?.toISOString()} is 08:00 local`);
      }
      // Windows of three weeks: the seed's events (Nov 14 – Dec 16, and Jan 2017 save-the-date) fill these issues.
      const runs = (await e.store.schedule.latestRuns(s.list, 20)).reverse().map((r) => `${r.windowStart}:${r.state}`);
      assert.deepEqual(runs, [
        // (not 2016-10-10, the latest time before the first start: the database did not exist then)
        '2016-10-17:quiet',
        '2016-10-24:quiet',
        '2016-10-31:sent',
        '2016-11-07:sent',
        '2016-11-14:sent',
        '2016-11-21:sent',
        '2016-11-28:sent',
        '2016-12-05:sent',
        '2016-12-12:sent',
        '2016-12-19:quiet',
        '2016-12-26:quiet',
        '2017-01-02:quiet',
      ]);
      for (const [week, to] of byWeek) assert.equal(new Set(to).size, 7, `${week}: seven readers`), assert.equal(to.length, 7, `${week}: one copy each`);
      assert.equal(byWeek.size, 7);
      // Across the DST change (6 Nov): 08:00 EDT is 12:00Z, 08:00 EST is 13:00Z.
      const utc = (week: string) => mails.find((m) => DateTime.fromJSDate(m.date!, { zone: 'America/New_York' }).toISODate() === week)!.date!.toISOString();
      assert.equal(utc('2016-10-31'), '2016-10-31T12:00:00.000Z');
      assert.equal(utc('2016-11-07'), '2016-11-07T13:00:00.000Z');
      const late = DateTime.fromJSDate(mails.find((m) => DateTime.fromJSDate(m.date!, { zone: 'America/New_York' }).toISODate() === '2016-11-14')!.date!, { zone: 'America/New_York' });
      assert.ok(late.hour > 8 && late.hour <= 20, `the slept week went out late, within the grace period (${late.toISO()})`);
    } finally {
      await e.close();
    }
  });
});

describe('a time in the repeated hour of the fall-back', () => {
  it('runs once, though the wall clock shows 01:30 twice', async () => {
    // 6 Nov 2016 in New York: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z).
    const e = await scheduleEnv({ now: '2016-11-06T05:30:00Z', config: { schedule: '30 1 * * *' } });
    try {
      await subscribe(e.store, 3);
      const s = await e.scheduler();
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 3);
      e.clock.set('2016-11-06T06:30:00Z');
      await s.reconcile('cron');
      assert.equal(e.sink.received.length, 3);
      assert.deepEqual((await e.store.schedule.latestRuns(s.list, 5)).map((r) => `${r.scheduledFor}:${r.state}`), ['2016-11-06T05:30:00.000Z:sent']);
    } finally {
      await e.close();
    }
  });
});
