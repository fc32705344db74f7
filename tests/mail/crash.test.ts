// Crashes and rivals: a sender killed with SIGKILL mid-run and run again, two senders at once, stale locks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { once } from 'node:events';
import { lockClaimant } from '../../src/mail/send-lock.ts';
import { perRecipient, startSink } from '../helpers/smtp-sink.ts';
import { addSubscribers, NOW, ROOT, sendEnv, type SendEnv } from '../helpers/send-env.ts';
import { sqliteOnlyTest } from '../helpers/engines.ts';

function child(e: SendEnv) {
  return spawn(process.execPath, [`${ROOT}/bin/event-digest.js`, 'send', '--as-of', '2016-11-28'], { cwd: e.dir, env: { ...process.env, ...e.env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(p: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  let out = '';
  let err = '';
  p.stdout?.on('data', (d) => (out += d));
  p.stderr?.on('data', (d) => (err += d));
  return new Promise((ok) => p.on('exit', (code, signal) => ok({ code, signal, out, err })));
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

test('SIGKILL in the middle of 2,000 recipients, then run again: nobody missing, duplicates at most those in flight', async (t) => {
  const sink = await startSink({ delayMs: 1 });
  try {
    const connections = 4;
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections } });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 2000 }, (_, i) => ({ email: `r${String(i).padStart(4, '0')}@example.org` })));
    const first = child(e);
    const done = exited(first);
    await until(() => sink.received.length >= 500, 120_000, '500 messages');
    first.kill('SIGKILL');
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL');
    const atCrash = await store.deliveries.counts(1);
    const inDoubt = (await store.deliveries.unfinished(1)).filter((d) => d.state === 'sending');
    assert.ok(atCrash.sent >= 400 && atCrash.sent < 2000, `sent at crash: ${atCrash.sent}`);
    assert.ok(inDoubt.length <= connections, `${inDoubt.length} rows in flight, pool of ${connections}`);
    // The sink may hold a message the ledger could not yet record: those are exactly the ones in doubt.
    const receivedAtCrash = sink.received.length;
    assert.ok(receivedAtCrash - atCrash.sent <= connections);

    const again = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(again.code, 0, again.err);
    const counts = await store.deliveries.counts(1);
    assert.deepEqual(counts, { queued: 0, sending: 0, sent: 2000, failed: 0, skipped: 0, deferred: 0 });
    const got = perRecipient(sink.received);
    assert.equal(got.size, 2000, 'nobody missing');
    const twice = [...got].filter(([, n]) => n > 1).map(([a]) => a);
    assert.ok(twice.length <= connections, `${twice.length} duplicates`);
    const doubtful = new Set(await Promise.all(inDoubt.map(async (r) => (await store.subscribers.get(r.subscriberId))?.email)));
    for (const a of twice) assert.ok(doubtful.has(a), `${a} got two copies but was not in flight at the crash`);
    assert.ok([...got.values()].every((n) => n <= 2));
    t.diagnostic(`at the crash: ${atCrash.sent} recorded sent, ${receivedAtCrash} received, ${inDoubt.length} in flight; after the rerun: ${twice.length} duplicates`);
    await store.close();
  } finally {
    await sink.close();
  }
});

test('two send processes started together for the same issue: each subscriber gets one message', async () => {
  const sink = await startSink({ delayMs: 1 });
  try {
    const e = sendEnv({ smtpUrl: sink.url });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 300 }, (_, i) => ({ email: `t${i}@example.org` })));
    const [a, b] = await Promise.all([exited(child(e)), exited(child(e))]);
    const codes = [a.code, b.code].sort();
    // Either the second found the lock taken (exit 2, naming the holder), or it came after and found nothing to do.
    assert.ok((codes[0] === 0 && codes[1] === 2) || (codes[0] === 0 && codes[1] === 0), `exit codes ${codes}: ${a.err} ${b.err}`);
    const loser = a.code === 2 ? a : b.code === 2 ? b : undefined;
    if (loser) assert.match(loser.err, /being sent by pid \d+ on /);
    const got = perRecipient(sink.received);
    assert.equal(got.size, 300);
    assert.ok([...got.values()].every((n) => n === 1));
    await store.close();
  } finally {
    await sink.close();
  }
});

sqliteOnlyTest('a lock held by a live sender refuses with exit 2; one left by a dead sender is taken over', 'the single-sender lock; on PostgreSQL several senders share an issue by claims (tests/mail/several-senders.test.ts, tests/store/send-claims.test.ts)', async () => {
  const sink = await startSink();
  try {
    const e = sendEnv({ smtpUrl: sink.url });
    const store = await e.store();
    await addSubscribers(store, [{ email: 'one@example.org' }]);
    const issue = await store.issues.issueFor({ list: 'event-digest', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 's' });
    const sleeper = spawn('sleep', ['3600']); // killed below; alive however slow the machine
    const gone = once(sleeper, 'exit');
    let held;
    try {
      // A live process on this host (the sleeper) holds the issue's lock, taken at NOW by the store's clock.
      assert.ok((await store.sendLocks.acquire(issue.id, lockClaimant({ staleMs: 60_000, pid: sleeper.pid! }))).ok);
      held = await e.cli(['send', '--as-of', '2016-11-28']);
    } finally {
      sleeper.kill();
      await gone;
    }
    assert.equal(held.code, 2);
    assert.equal(held.err, `event-digest: issue 2016-11-28 is being sent by pid ${sleeper.pid} on ${hostname()} (since ${new Date(NOW).toISOString()}, last seen ${new Date(NOW).toISOString()}); not sending twice`);
    assert.equal(sink.received.length, 0);
    // The sleeper is gone; the lock passes to a process that has exited too, as a sender that died leaves it.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const left = await store.sendLocks.acquire(issue.id, lockClaimant({ staleMs: 60_000, pid: Number(dead.stdout) }));
    assert.deepEqual(left.ok && (await store.sendLocks.holders()).map((h) => h.holder), [`pid ${dead.stdout} on ${hostname()}`]);
    const taken = await e.cli(['send', '--as-of', '2016-11-28']);
    assert.equal(taken.code, 0, taken.err);
    assert.equal(sink.received.length, 1);
    assert.deepEqual(await store.sendLocks.holders(), [], 'freed on exit');
    await store.close();
  } finally {
    await sink.close();
  }
});
