// Retention with real parts: `prune` turns old ledger rows into counts (no person), removes old outbox files,
// keeps both when told (null, or the env vars), and the daemon applies it daily. Both run on both engines.
import assert from 'node:assert/strict';
import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { engineTest } from '../helpers/engines.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';
import { scheduleEnv, subscribe } from '../helpers/schedule-env.ts';

const A_YEAR_ON = '2017-12-01T12:00:00Z';

engineTest('prune: ledger rows past ledgerDays keep only their counts, outbox files past outboxDays go; null or an env var keeps them', async (_t, engine) => {
  const e = sendEnv({ engine });
  const store = await e.store();
  await addSubscribers(store, [{ email: 'a@example.org' }, { email: 'b@example.org' }]);
  await store.close();
  assert.equal((await e.cli(['send', '--as-of', '2016-11-28'])).code, 0);
  const folder = join(e.dir, 'var/outbox/event-digest-2016-11-28');
  const files = readdirSync(folder);
  assert.equal(files.length, 2);
  // One file written long ago (files carry the real time; the test clock is in 2016).
  utimesSync(join(folder, files[0]), new Date('2016-11-27T13:00:00Z'), new Date('2016-11-27T13:00:00Z'));

  const soon = await e.cli(['prune'], { DIGEST_NOW: '2016-12-01T12:00:00Z' });
  assert.deepEqual([soon.code, soon.out], [0, 'pruned 0 ledger rows older than 365 days (their issues keep the counts); removed 0 outbox files older than 30 days']);
  const kept = await e.cli(['prune', '--json'], { DIGEST_NOW: A_YEAR_ON, DIGEST_RETENTION_LEDGER_DAYS: 'keep', DIGEST_RETENTION_OUTBOX_DAYS: 'null' });
  assert.deepEqual(JSON.parse(kept.out), { ledgerRows: null, outboxFiles: null });

  const pruned = await e.cli(['prune'], { DIGEST_NOW: A_YEAR_ON });
  assert.deepEqual([pruned.code, pruned.out], [0, 'pruned 2 ledger rows older than 365 days (their issues keep the counts); removed 1 outbox file older than 30 days']);
  assert.deepEqual(readdirSync(folder), [files[1]]);
  const s = await e.store();
  const issue = (await s.issues.list())[0];
  assert.equal((await s.deliveries.counts(issue.id)).sent, 2, 'the issue still counts its two');
  const a = (await s.subscribers.findByEmail('a@example.org'))!;
  assert.deepEqual((await s.privacy.personalData(a.id)).deliveries, [], 'nothing links a@ to the issue any more');
  // The issue is closed: a newcomer is not queued for it.
  await addSubscribers(s, [{ email: 'c@example.org' }]);
  assert.equal(await s.deliveries.enqueueActive(issue.id, 'x.', '@y'), 0);
  await s.close();
  // Again: nothing more to do.
  assert.match((await e.cli(['prune'], { DIGEST_NOW: A_YEAR_ON })).out, /^pruned 0 ledger rows/);
});

engineTest('the daemon prunes at its first pass and then daily', async (_t, engine) => {
  const e = await scheduleEnv({ now: '2016-11-28T13:00:00Z', config: { retention: { ledgerDays: 1, outboxDays: null } }, engine });
  try {
    await subscribe(e.store, 2);
    const s = await e.scheduler();
    await s.reconcile('start');
    assert.equal(e.sink.received.length, 2);
    const issue = (await e.store.issues.list())[0];
    e.clock.advance(12 * 3600_000);
    await s.reconcile('tick');
    assert.ok(!e.logs.some((l) => l.event === 'retention.pruned'), 'not before a day has passed');
    e.clock.advance(13 * 3600_000);
    await s.reconcile('tick');
    const line = e.logs.find((l) => l.event === 'retention.pruned');
    assert.deepEqual([line?.ledgerRows, line?.outboxFiles], [2, null]);
    assert.equal((await e.store.deliveries.counts(issue.id)).sent, 2);
  } finally {
    await e.close();
  }
});
