// Several senders on one PostgreSQL list: they split the issue in claimed batches, each reader gets one message
// (counted by parsing what the sink received), each sender prints its own summary, and a SIGKILLed sender's
// batch is finished by the others once its lease runs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { POSTGRES } from '../helpers/engines.ts';
import { startSink, type Received } from '../helpers/smtp-sink.ts';
import { addSubscribers, sendEnv, sendProcess } from '../helpers/send-env.ts';

const skip = POSTGRES.skip;

/** Messages per reader, from the parsed messages themselves (To and Message-ID), not the envelope. */
async function perReader(received: Received[]): Promise<Map<string, number>> {
  const got = new Map<string, number>();
  for (const m of received) {
    const mail = await simpleParser(m.raw);
    const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';
    assert.match(mail.messageId ?? '', /^<event-digest\.2016-11-28\.s\d+@localhost>$/);
    got.set(to, (got.get(to) ?? 0) + 1);
  }
  return got;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const SUMMARY = /^sent (\d+), skipped 0, failed 0, deferred 0$/;

test('three senders on one list: each reader gets one message, each sender does part of the work and prints its own summary', { skip }, async () => {
  // Six messages wait for an answer before any is answered: two connections of each of the three senders, so
  // none can finish the list before the others have started.
  const sink = await startSink({ holdUntil: 6, delayMs: 2 });
  try {
    // A lease of 4 s, shorter than the send: each sender must keep its lease alive or the others would take its readers.
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections: 2, claimBatch: 10, leaseSeconds: 4 }, engine: POSTGRES });
    const store = await e.store();
    const readers = Array.from({ length: 120 }, (_, i) => `r${String(i).padStart(3, '0')}@example.org`);
    await addSubscribers(store, readers.map((email) => ({ email })));
    const runs = await Promise.all([1, 2, 3].map(() => sendProcess(e)));
    const results = await Promise.all(runs.map((r) => r.exit));
    const sent = results.map((r) => {
      assert.equal(r.code, 0, r.err);
      const m = SUMMARY.exec(r.out.trim().split('\n').at(-1) ?? '');
      assert.ok(m, `summary line: ${r.out}`);
      return Number(m[1]);
    });
    assert.ok(sent.every((n) => n > 0), `each sender did part of the work: ${sent}`);
    assert.equal(sent.reduce((a, b) => a + b), 120);
    const got = await perReader(sink.received);
    assert.deepEqual([...got.keys()].sort(), readers, 'everyone');
    assert.ok([...got.values()].every((n) => n === 1), 'once each');
    assert.deepEqual(await store.deliveries.counts(1), { queued: 0, sending: 0, sent: 120, failed: 0, skipped: 0, deferred: 0 });
    assert.deepEqual(await store.sendClaims?.live(), [], 'every sender left');
    await store.close();
  } finally {
    await sink.close();
  }
});

test("a SIGKILLed sender's claimed batch is finished by the others when its lease runs out; duplicates only among its messages in flight", { skip }, async (t) => {
  const connections = 2;
  const sink = await startSink({ holdUntil: 3 * connections, delayMs: 10 });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections, claimBatch: 20, leaseSeconds: 4 }, engine: POSTGRES });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 160 }, (_, i) => ({ email: `k${String(i).padStart(3, '0')}@example.org` })));
    const raw = new pg.Client({ connectionString: await e.db() });
    await raw.connect();
    t.after(() => raw.end());
    const runs = await Promise.all([1, 2, 3].map(() => sendProcess(e)));
    const victim = runs[0];
    const holder = `pid ${victim.pid} on ${hostname()}`;
    // The victim's claimed rows not yet sent: what the others must finish.
    const claimedByVictim = async () =>
      (
        await raw.query<{ subscriber_id: number; state: string }>(
          `SELECT d.subscriber_id, d.state FROM deliveries d JOIN senders s ON s.token = d.claimed_by
           WHERE s.holder = $1 AND d.state IN ('queued', 'sending')`,
          [holder],
        )
      ).rows;
    await until(async () => sink.received.length >= 30 && (await claimedByVictim()).length > 0, 60_000, 'the victim mid-batch');
    victim.kill();
    assert.equal((await victim.exit).signal, 'SIGKILL');
    const left = await claimedByVictim();
    const inFlight = left.filter((r) => r.state === 'sending').map((r) => r.subscriber_id);
    assert.ok(left.length > 0 && inFlight.length <= connections, `left ${left.length}, in flight ${inFlight.length}`);
    const rest = await Promise.all(runs.slice(1).map((r) => r.exit));
    for (const r of rest) assert.equal(r.code, 0, r.err);

    assert.deepEqual(await store.deliveries.counts(1), { queued: 0, sending: 0, sent: 160, failed: 0, skipped: 0, deferred: 0 });
    const finishers = await raw.query<{ holder: string }>(
      `SELECT DISTINCT s.holder FROM deliveries d JOIN senders s ON s.token = d.claimed_by WHERE d.issue_id = 1 AND d.subscriber_id = ANY($1)`,
      [left.map((r) => r.subscriber_id)],
    );
    assert.ok(finishers.rows.length > 0 && finishers.rows.every((r) => r.holder !== holder), 'the others finished the victim’s batch');
    const got = await perReader(sink.received);
    assert.equal(got.size, 160, 'nobody missing');
    const twice = [...got].filter(([, n]) => n > 1).map(([a]) => a);
    const doubtful = new Set(await Promise.all(inFlight.map(async (id) => (await store.subscribers.get(id))?.email)));
    for (const a of twice) assert.ok(doubtful.has(a), `${a} got two copies but was not in flight at the kill`);
    assert.ok([...got.values()].every((n) => n <= 2));
    t.diagnostic(`the victim left ${left.length} claimed rows (${inFlight.length} in flight); ${twice.length} duplicates`);
    await store.close();
  } finally {
    await sink.close();
  }
});
