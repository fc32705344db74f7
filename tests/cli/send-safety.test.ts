// A manual send as an organizer's first week meets it: one issue per slot, no overlap with an issue
// already sent, no dead links through a real server, the server's replies in the summary and status,
// and holds that only take dates the schedule sends on. A real SQLite file and a loopback smtp-server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';
import { startSink } from '../helpers/smtp-sink.ts';

const PEOPLE = ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'].map((email) => ({ email }));
const WEDNESDAY = '2016-11-30T15:00:00Z';

test('send with no --as-of sends the latest slot at or before now; another date is refused unless --off-schedule, an overlap unless --overlap', async () => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url });
    const store = await e.store();
    await addSubscribers(store, PEOPLE);
    const first = await e.cli(['send', '--json'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(first.code, 0, first.err);
    assert.deepEqual(JSON.parse(first.out), { sent: 4, skipped: 0, failed: 0, deferred: 0, issue: 1, stopped: null });
    assert.deepEqual((await store.issues.list()).map((i) => i.windowStart), ['2016-11-28'], 'the Monday issue, as the scheduler would send it');
    const parsed = await simpleParser(sink.received[0].raw);
    assert.match(String(parsed.subject), /\(Nov 28 – Dec 18\)$/);

    const offSlot = await e.cli(['send', '--as-of', '2016-11-30'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(offSlot.code, 2);
    assert.equal(
      offSlot.err,
      "event-digest: --as-of 2016-11-30 is not a slot of the schedule '0 8 * * 1' (America/New_York); the nearest are 2016-11-28 or 2016-12-05; --off-schedule sends it anyway",
    );
    const overlap = await e.cli(['send', '--as-of', '2016-11-30', '--off-schedule'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(overlap.code, 2);
    assert.equal(
      overlap.err,
      'event-digest: the 2016-11-30 window overlaps issues already sent: the 2016-11-28 issue went to 4 readers, who would get the events of Nov 30 – Dec 18 twice; --overlap sends it anyway',
    );
    const nextSlot = await e.cli(['send', '--as-of', '2016-12-05'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(nextSlot.code, 2, 'the next Monday overlaps too (three-week windows)');
    assert.match(nextSlot.err, /the 2016-11-28 issue went to 4 readers, who would get the events of Dec 5 – Dec 18 twice/);
    assert.equal(sink.received.length, 4, 'nothing more was sent');
    assert.equal((await store.issues.list()).length, 1, 'and no issue was created');

    const forced = await e.cli(['send', '--as-of', '2016-11-30', '--off-schedule', '--overlap'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(forced.code, 0, forced.err);
    assert.equal(forced.out.split('\n').at(-1), 'sent 4, skipped 0, failed 0, deferred 0');
    assert.equal(sink.received.length, 8);
    // A rerun of the issue itself is no overlap: it mails nobody twice.
    const rerun = await e.cli(['send'], { DIGEST_NOW: WEDNESDAY });
    assert.equal(rerun.code, 0, rerun.err);
    assert.equal(rerun.out.split('\n').at(-1), 'sent 0, skipped 0, failed 0, deferred 0');
    await store.close();
  } finally {
    await sink.close();
  }
});

test("deferred and failed rows print the server's reply, one line per distinct reply with its count; status shows them per issue", async () => {
  const sink = await startSink({
    rcpt: (a) =>
      a.startsWith('b') || a.startsWith('c') ? { code: 451, message: '4.7.1 Greylisted, try again later' } : a.startsWith('d') ? { code: 550, message: '5.1.1 No such user here' } : undefined,
  });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { retries: 0 } });
    const store = await e.store();
    await addSubscribers(store, PEOPLE);
    const r = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(r.code, 1);
    const lines = r.out.split('\n');
    assert.equal(lines.at(-1), 'sent 1, skipped 0, failed 1, deferred 2');
    assert.deepEqual(lines.filter((l) => /^ {2}(deferred|failed) \d+: /.test(l)), ['  deferred 2: 451 4.7.1 Greylisted, try again later', '  failed 1: 550 5.1.1 No such user here']);
    const json = JSON.parse((await e.cli(['send', '--as-of', '2016-11-28', '--json'])).out);
    assert.deepEqual(json.replies, [
      { state: 'deferred', reply: '451 4.7.1 Greylisted, try again later', count: 2 },
      { state: 'failed', reply: '550 5.1.1 No such user here', count: 1 },
    ]);
    const status = await e.cli(['status']);
    assert.match(status.out, /^ {2}2016-11-28 {2}sent 1, failed 1, deferred 2, .*\n {6}deferred 2: 451 4\.7\.1 Greylisted, try again later\n {6}failed 1: 550 5\.1\.1 No such user here$/m);
    const doc = JSON.parse((await e.cli(['status', '--json'])).out);
    assert.equal(doc.issues[0].replies.length, 2);
    await store.close();
  } finally {
    await sink.close();
  }
});

test('send through SMTP refuses a loopback baseUrl (exit 2, nothing sent); a test send and a dry run only warn', async () => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url });
    const store = await e.store();
    await addSubscribers(store, PEOPLE);
    const loopback = { DIGEST_BASE_URL: 'http://127.0.0.1:3000' };
    const r = await e.cli(['send', '--as-of', '2016-11-28'], loopback);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      "event-digest: baseUrl (DIGEST_BASE_URL) is http://127.0.0.1:3000, this machine only: every link in the mail, unsubscribe included, would be dead for readers; set the web app's public address; not sending",
    );
    assert.equal(sink.received.length, 0);
    assert.deepEqual(await store.issues.list(), []);
    const test = await e.cli(['send', '--as-of', '2016-11-28', '--to', 'me@example.org'], loopback);
    assert.equal(test.code, 0, test.err);
    assert.match(test.err, /^event-digest: warning: baseUrl \(DIGEST_BASE_URL\) is http:\/\/127\.0\.0\.1:3000, this machine only/);
    assert.equal(sink.received.length, 1);
    assert.equal((await e.cli(['send', '--as-of', '2016-11-28', '--dry-run'], loopback)).code, 0);
    // Without SMTP_URL the outbox is the destination, and local links are what a trial wants.
    const outbox = await e.cli(['send', '--as-of', '2016-11-28'], { ...loopback, SMTP_URL: '' });
    assert.equal(outbox.code, 0, outbox.err);
    await store.close();
  } finally {
    await sink.close();
  }
});

test('hold and release take only slot dates of the schedule, or next', async () => {
  const e = sendEnv();
  const tuesday = await e.cli(['hold', '2016-12-06']);
  assert.equal(tuesday.code, 2);
  assert.equal(tuesday.err, "event-digest: ISSUE: 2016-12-06 is not a slot of the schedule '0 8 * * 1' (America/New_York); the nearest are 2016-12-05 or 2016-12-12; nothing was held");
  const next = await e.cli(['hold', 'next']); // DIGEST_NOW is Sunday 27 November
  assert.equal(next.code, 0, next.err);
  assert.match(next.out, /^held the 2016-11-28 issue/);
  assert.match((await e.cli(['status'])).out, /^held: 2016-11-28$/m);
  assert.equal((await e.cli(['release', '2016-11-29'])).code, 2);
  const released = await e.cli(['release', 'next']);
  assert.equal(released.code, 0, released.err);
  assert.match(released.out, /^released the 2016-11-28 issue/);
  const daily = await e.cli(['hold', '2016-12-06'], { DIGEST_SCHEDULE: '0 7 * * *' });
  assert.equal(daily.code, 0, 'every day is a slot of a daily schedule');
});
