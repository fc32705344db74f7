// The PostgreSQL send claims through the Store: batches claimed once each, a 'sending' refused to a sender that
// lost its claim (and the row left alone), deferred rows not retried by the sender that deferred them, a sender's
// lease that runs out, rows freed on leave, and `status` listing the live senders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { POSTGRES } from '../helpers/engines.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

const skip = POSTGRES.skip;
const ISSUE = { list: 'event-digest', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 's' };
const zero = { sent: 0, failed: 0, deferred: 0, skipped: 0 };

test('claims: each row to one sender; lost claims refuse a sending; deferred rows wait for another sender; leave frees the rest', { skip }, async (t) => {
  const e = sendEnv({ engine: POSTGRES });
  const store = await e.store();
  t.after(() => store.close());
  await addSubscribers(store, Array.from({ length: 8 }, (_, i) => ({ email: `c${i}@example.org` })));
  const issue = await store.issues.issueFor(ISSUE);
  await store.deliveries.enqueueActive(issue.id, 'p.', '@x');
  const claims = store.sendClaims!;
  const a = await claims.join(issue.id, { pid: 1, host: 'h' }, 60_000);
  const b = await claims.join(issue.id, { pid: 2, host: 'h' }, 60_000);
  const ids = (rows: { subscriberId: number }[]) => rows.map((r) => r.subscriberId);
  const first = await a.claim(3);
  assert.deepEqual(ids(first), [1, 2, 3]);
  // Each row comes with its reader, read with the claim (the sender's per-message re-read, a statement per batch).
  assert.deepEqual(first.map((r) => r.recipient), await Promise.all([1, 2, 3].map((id) => store.deliveries.recipient(id))));
  assert.deepEqual(first.map((r) => r.recipient?.email), ['c0@example.org', 'c1@example.org', 'c2@example.org']);
  assert.deepEqual(ids(await b.claim(3)), [4, 5, 6]);
  assert.ok(((await a.othersPending()) ?? 0) > 50_000, "b's lease has about a minute to run");

  assert.deepEqual(await a.markAll([{ subscriberId: 4, state: 'sending' }, { subscriberId: 1, state: 'sending' }]), [4], "a may not send b's row");
  assert.equal((await store.deliveries.get(issue.id, 4))?.state, 'queued', 'and the row is left for b, not skipped');
  await a.markAll([{ subscriberId: 1, state: 'sent', reply: '250' }, { subscriberId: 2, state: 'deferred', reply: '451' }]);
  // The free rows and its own queued one (as after a claim whose answer was lost), not the row it deferred.
  assert.deepEqual(ids(await a.claim(10)), [3, 7, 8]);
  assert.deepEqual(
    (await claims.live()).map((s) => [s.holder, s.sent]),
    [['pid 1 on h', 0], ['pid 2 on h', 0]],
  );
  await a.renew({ ...zero, sent: 1 });
  assert.deepEqual((await claims.live()).map((s) => s.sent), [1, 0]);
  await a.leave({ ...zero, sent: 1 });
  assert.deepEqual(ids(await b.claim(10)), [2, 3, 4, 5, 6, 7, 8], "a's unfinished rows and its deferred one, free for b (with b's own)");
  assert.equal(await b.othersPending(), undefined);
  await b.leave(zero);
  assert.deepEqual(await claims.live(), []);

  // A lease that runs out: the rows come free for the next sender without a leave.
  const c = await claims.join(issue.id, { pid: 3, host: 'h' }, 1);
  assert.ok((await c.claim(2)).length === 2);
  const d = await claims.join(issue.id, { pid: 4, host: 'h' }, 60_000);
  let got: number[] = [];
  for (let i = 0; i < 100 && got.length === 0; i++) got = ids(await d.claim(2)); // a millisecond's lease: gone by the next round trip or two
  assert.equal(got.length, 2);
});

test('status lists the live senders with what each has sent so far', { skip }, async (t) => {
  const e = sendEnv({ engine: POSTGRES });
  const store = await e.store();
  t.after(() => store.close());
  const issue = await store.issues.issueFor(ISSUE);
  const a = await store.sendClaims!.join(issue.id, { pid: 41, host: 'mail1' }, 60_000);
  await a.renew({ ...zero, sent: 7 });
  await store.sendClaims!.join(issue.id, { pid: 42, host: 'mail2' }, 60_000);
  const r = await e.cli(['status']);
  assert.equal(r.code, 0, r.err);
  const line = r.out.split('\n').find((l) => l.startsWith('sending now:'));
  assert.equal(
    line,
    'sending now: the 2016-11-28 issue by pid 41 on mail1 (last seen 2016-11-27T13:00:00.000Z, sent 7 so far); the 2016-11-28 issue by pid 42 on mail2 (last seen 2016-11-27T13:00:00.000Z, sent 0 so far)',
  );
  assert.match(r.out, /^database: postgres:\/\/digest@127\.0\.0\.1:\d+\/t\d+_\d+$/m);
  const json = JSON.parse((await e.cli(['status', '--json'])).out) as { sending: { holder: string; sent?: number }[] };
  assert.deepEqual(json.sending.map((s) => [s.holder, s.sent]), [['pid 41 on mail1', 7], ['pid 42 on mail2', 0]]);
});

test("queuing a list's worth refreshes the ledger's planner statistics, so the send's statements are planned on its rows", { skip }, async (t) => {
  const e = sendEnv({ engine: POSTGRES });
  const store = await e.store();
  t.after(() => store.close());
  const raw = new pg.Client({ connectionString: await e.db() });
  await raw.connect();
  t.after(() => raw.end());
  const estimate = async () => (await raw.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'deliveries'`)).rows[0].n;
  await addSubscribers(store, Array.from({ length: 1200 }, (_, i) => ({ email: `q${i}@example.org` })));
  const before = await estimate();
  assert.equal(await store.deliveries.enqueueActive((await store.issues.issueFor(ISSUE)).id, 'p.', '@x'), 1200);
  // Without it the planner kept taking the issue for a few rows until autovacuum came by, a minute later.
  assert.ok(before < 1200 && (await estimate()) === 1200, `estimate ${before} before, ${await estimate()} after`);
});
