// Several scheduler daemons on one PostgreSQL: one leads and sends the slot, another stands by without sending,
// and when the leader is SIGKILLed the other takes over at its next pass (every minute), finishing the slot
// (the dead leader's claimed readers come free when its lease runs out): each reader gets the issue once, but
// for the leader's messages in flight.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { POSTGRES, SQLITE } from '../helpers/engines.ts';
import { scheduleEnv, subscribe } from '../helpers/schedule-env.ts';
import { perRecipient } from '../helpers/smtp-sink.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SLOT = '2016-11-28T13:00:00.000Z'; // Monday 08:00 in New York

async function until(what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  for (let waited = 0; !ok(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('two daemons: the leader sends, the other stands by; the leader SIGKILLed, the other leads at its next pass and finishes the slot', { skip: POSTGRES.skip }, async () => {
  const sending = { connections: 2, retries: 1, backoffMs: 5, leaseSeconds: 2, claimBatch: 20 };
  const e = await scheduleEnv({ now: '2016-11-28T13:00:30Z', engine: POSTGRES, sink: { delayMs: 20 }, config: { sending } });
  try {
    await subscribe(e.store, 200);
    // Its pool as the standby's (the in-flight bound is per connection); lease and batch from the environment.
    writeFileSync(join(e.dir, 'event-digest.config.yaml'), 'sending:\n  connections: 2\n  retries: 1\n  backoffMs: 5\n');
    // The leader: a daemon process of its own, on the same database, calendar and mail server.
    const leader = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), 'schedule', '--no-web'], {
      cwd: e.dir,
      env: {
        ...process.env,
        DIGEST_DB: e.config.db,
        DIGEST_EVENTS: e.eventsPath,
        SMTP_URL: e.sink.url,
        // Through SMTP a daemon refuses to mail without one (issue 14).
        DIGEST_POSTAL_ADDRESS: '1 Main St, Springfield, IL 62701',
        DIGEST_SECRET: e.config.secret!,
        DIGEST_NOW: '2016-11-28T13:00:30Z',
        DIGEST_SEND_LEASE_SECONDS: '2',
        DIGEST_SEND_CLAIM_BATCH: '20',
      },
    });
    const lines: Record<string, unknown>[] = [];
    let buf = '';
    let err = '';
    leader.stdout.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) lines.push(JSON.parse(buf.slice(0, i)));
    });
    leader.stderr.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | null>((done) => leader.on('exit', (_code, signal) => done(signal)));
    await until('the leader sending', () => lines.some((l) => l.event === 'leader.acquired') && e.sink.received.length >= 30).catch((x: Error) => {
      throw new Error(`${x.message}; the leader's stderr: ${err}`);
    });

    const standby = await e.scheduler();
    await standby.reconcile('tick');
    assert.ok(e.logs.some((l) => l.event === 'leader.standby'), JSON.stringify(e.logs));
    assert.ok(!e.logs.some((l) => l.event === 'run.start'), 'the standby sends nothing while the leader lives');

    leader.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', err);
    const atKill = e.sink.received.length;
    assert.ok(atKill < 200, `the leader was killed mid-send (${atKill} sent)`);
    // The server frees the lock as soon as it sees the dead leader's connection close (a moment after the kill):
    // passes (every minute in the daemon) until the standby leads.
    for (let pass = 0; !e.logs.some((l) => l.event === 'leader.acquired'); pass++) {
      assert.ok(pass < 600, 'the standby leads within a minute');
      await standby.reconcile('tick');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(e.logs.some((l) => l.event === 'run.sent'), JSON.stringify(e.logs.at(-1)));
    const run = await e.store.schedule.run(standby.list, SLOT);
    assert.equal(run?.state, 'sent');
    const got = perRecipient(e.sink.received);
    assert.equal(got.size, 200, 'everyone has the issue');
    const twice = [...got.values()].filter((n) => n > 1).length;
    assert.ok(twice <= sending.connections, `${twice} duplicates, at most the leader's messages in flight`);
    assert.deepEqual(await e.store.deliveries.counts(1), { queued: 0, sending: 0, sent: 200, failed: 0, skipped: 0, deferred: 0 });
  } finally {
    await e.close();
  }
});

test('leadership: one holder per name; another takes it the moment the holder closes; SQLite has none (each daemon leads)', { skip: POSTGRES.skip }, async () => {
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { engine: POSTGRES }), await storeIn(dir, { engine: POSTGRES })];
  try {
    assert.equal(await a.leadership!.lead('schedule:news'), true);
    assert.equal(await b.leadership!.lead('schedule:news'), false);
    assert.equal(await b.leadership!.lead('schedule:other'), true, 'names are separate');
    assert.equal(await a.leadership!.lead('schedule:news'), true, 'still held');
    await a.close();
    assert.equal(await b.leadership!.lead('schedule:news'), true);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  const sqlite = await storeIn(tempDir(), { engine: SQLITE });
  assert.equal(sqlite.leadership, undefined);
  await sqlite.close();
});
