// PostgreSQL lost in the middle of a send: a server back within `dbRetrySeconds` is reconnected to and the send
// completes; one that stays down ends the sender with one line and exit 1, and a rerun completes. Either way
// everyone gets the issue, twice at most for the messages in flight. (This file's own cluster is stopped.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POSTGRES } from '../helpers/engines.ts';
import { pgCluster } from '../helpers/postgres.ts';
import { perRecipient, startSink, type Received } from '../helpers/smtp-sink.ts';
import { addSubscribers, sendEnv, sendProcess, type SendEnv } from '../helpers/send-env.ts';

const skip = POSTGRES.skip;
const connections = 2;
// The cluster this file stops must be its own, never the one npm test shares among its test processes: the
// environment is read at the first pgCluster() call, after the imports.
delete process.env.DIGEST_TEST_PG_URL;

/** Leases of 2 s: the rerun after a sender gave up waits that long for its claimed readers. */
const sender = async (e: SendEnv, env: Record<string, string> = {}) => (await sendProcess(e, { DIGEST_SEND_LEASE_SECONDS: '2', ...env })).exit;

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertEveryoneOnce(received: Received[], n: number) {
  const got = perRecipient(received);
  assert.equal(got.size, n, 'nobody missing');
  const twice = [...got.values()].filter((k) => k > 1).length;
  assert.ok(twice <= connections, `${twice} duplicates, at most the messages in flight`);
}

test('the server restarted mid-send: the sender reconnects and finishes; the ledger is complete', { skip }, async () => {
  const cluster = await pgCluster();
  const sink = await startSink({ delayMs: 10 });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections }, engine: POSTGRES });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 200 }, (_, i) => ({ email: `a${i}@example.org` })));
    await store.close();
    const run = sender(e);
    await until(() => sink.received.length >= 40, '40 messages');
    cluster.stop();
    await pause(500); // down for a moment: the sender's statements fail and are tried again
    cluster.start();
    const r = await run;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.trim().split('\n').at(-1) ?? '', /^sent \d+, skipped 0, failed 0, deferred 0$/);
    assertEveryoneOnce(sink.received, 200);
    const after = await e.store();
    assert.deepEqual(await after.deliveries.counts(1), { queued: 0, sending: 0, sent: 200, failed: 0, skipped: 0, deferred: 0 });
    await after.close();
  } finally {
    await sink.close();
  }
});

test('the server down for longer than dbRetrySeconds: one line, exit 1, nothing lost; the rerun completes', { skip }, async () => {
  const cluster = await pgCluster();
  const sink = await startSink({ delayMs: 10 });
  try {
    const e = sendEnv({ smtpUrl: sink.url, sending: { connections }, engine: POSTGRES });
    const store = await e.store();
    await addSubscribers(store, Array.from({ length: 200 }, (_, i) => ({ email: `b${i}@example.org` })));
    await store.close();
    const run = sender(e, { DIGEST_DB_RETRY_SECONDS: '2' });
    await until(() => sink.received.length >= 40, '40 messages');
    cluster.stop();
    let r;
    try {
      r = await run;
    } finally {
      cluster.start();
    }
    assert.equal(r.code, 1, r.out);
    assert.match(r.err.trim(), /^event-digest: db: lost the connection to PostgreSQL at 127\.0\.0\.1:\d+ and could not get it back within 2 s \([^\n]+\)$/);
    assert.ok(sink.received.length < 200);
    const again = await sender(e);
    assert.equal(again.code, 0, again.err);
    assertEveryoneOnce(sink.received, 200);
  } finally {
    await sink.close();
  }
});
