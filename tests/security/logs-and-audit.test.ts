// Logs name subscribers by id, never by address (addresses only at debug level), and carry no token or secret;
// organizers' actions (test send, hold, release, forget) are recorded with time and client and shown on /admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLogger } from '../../src/schedule/log.ts';
import { signToken } from '../../src/subscribers/tokens.ts';
import type { MailTransport } from '../../src/mail/transport.ts';
import { fixedClock } from '../../src/clock.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';
import { scheduleEnv, subscribe } from '../helpers/schedule-env.ts';
import { webEnv } from '../helpers/web-env.ts';

const SECRET = 'a test secret of enough length';

test("the scheduler's log: ids and counts, no address, token or secret; addresses at debug only", async () => {
  const e = await scheduleEnv({
    now: '2016-11-28T13:00:00Z',
    // A server that quotes the address in its refusal, as many do.
    sink: { rcpt: (a) => (a === 'reader2@example.org' ? { code: 550, message: `5.1.1 <${a}>: Recipient address rejected` } : undefined) },
    config: { scheduler: { review: { hoursBefore: 144, to: ['organizer@example.org'] } } },
  });
  try {
    await subscribe(e.store, 3);
    const s = await e.scheduler();
    await s.reconcile('start');
    // Two days on, the next issue's review mail is due.
    e.clock.advance(48 * 3600_000);
    await s.reconcile('tick');
    assert.equal(e.sink.received.length, 2 + 1, 'two readers and the review mail');
    const text = e.logs.map((l) => JSON.stringify(l)).join('\n');
    assert.ok(e.logs.some((l) => l.event === 'run.sent' || l.event === 'run.incomplete'), text);
    for (const bad of ['@example.org', SECRET, ...[1, 2, 3].flatMap((id) => [signToken(SECRET, 'unsubscribe', id), signToken(SECRET, 'preferences', id)])]) {
      assert.ok(!text.includes(bad), `the log holds ${bad}`);
    }
    assert.ok(e.logs.some((l) => l.event === 'review.sent' && l.recipients === 1));
  } finally {
    await e.close();
  }
  // At debug level the review's addresses are there; fields named like secrets never are.
  const lines: string[] = [];
  const log = jsonLogger((l) => lines.push(l), fixedClock(new Date('2016-11-28T13:00:00Z')), 'debug');
  log.debug({ event: 'review.recipients', recipients: ['organizer@example.org'] }, 'review mail to organizer@example.org');
  log.info({ event: 'x', token: 'tok-123', secret: 's3cret', email: 'x@example.org', nested: { password: 'pw' } }, 'fields');
  assert.match(lines[0], /organizer@example\.org/);
  assert.doesNotMatch(lines[1], /tok-123|s3cret|x@example\.org|"pw"/);
  const quiet: string[] = [];
  jsonLogger((l) => quiet.push(l), fixedClock(new Date()), 'info').debug('review mail to organizer@example.org');
  assert.deepEqual(quiet, []);
});

test('a web confirmation mail that fails is logged by subscriber id, its address only at debug', async () => {
  const w = await webEnv();
  try {
    const lines: string[] = [];
    const debug: string[] = [];
    const failing: MailTransport = { name: 'failing', concurrency: 1, send: () => Promise.reject(new Error('550 5.1.1 <Zoe@Example.org>: no such user')), close: async () => {} };
    Object.assign(w.deps, { transport: failing, log: (l: string) => lines.push(l), debug: (l: string) => debug.push(l) });
    const res = await w.post('/subscribe', { email: 'zoe@example.org', timezone: 'America/New_York', kinds: ['action'] });
    assert.equal(res.status, 503);
    const id = (await w.store.subscribers.findByEmail('zoe@example.org'))!.id;
    assert.deepEqual(lines, [`web: could not mail subscriber ${id}: 550 5.1.1 <<address>>: no such user`]);
    assert.deepEqual(debug, [`web: subscriber ${id} is zoe@example.org`]);
  } finally {
    await w.close();
  }
});

test('hold, release, a test send and forget are in the audit trail with time and client, and on /admin', async () => {
  const e = sendEnv();
  const store = await e.store();
  await addSubscribers(store, [{ email: 'gone@example.org' }]);
  await store.close();
  for (const args of [['hold', '2016-11-28'], ['release', '2016-11-28'], ['send', '--as-of', '2016-11-28', '--to', 'me@example.org'], ['subscribers', 'forget', 'gone@example.org']]) {
    const r = await e.cli(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  }
  const w = await webEnv({ config: { db: await e.db() } });
  try {
    assert.equal((await w.post('/admin/test', { to: 'me@example.org', date: '2016-11-28' }, { headers: { 'user-agent': 'Firefox/140' } })).status, 200);
    const trail = await w.store.audit.recent(10);
    assert.deepEqual(trail.map((a) => `${a.action}: ${a.detail}`), [
      'test-send: the 2016-11-28 issue',
      'forget: subscriber 1',
      'test-send: the 2016-11-28 issue',
      'release: the 2016-11-28 issue',
      'hold: the 2016-11-28 issue',
    ]);
    assert.equal(trail[0].client, '127.0.0.1 Firefox/140');
    assert.match(trail[1].client, /^cli \S+@\S+$/);
    assert.equal(trail[1].at, '2016-11-27T13:00:00.000Z', 'the time is the clock’s');
    const admin = await (await w.req('/admin?date=2016-11-28')).text();
    assert.match(admin, /<h2>Organizer actions<\/h2>/);
    assert.match(admin, /forget: subscriber 1<\/td><td>cli /);
    assert.doesNotMatch(admin, /gone@example\.org/);
  } finally {
    await w.close();
  }
});
