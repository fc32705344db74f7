// The Store's promises that callers build on, each through the interface only (so a second dialect can run
// them too): issues created once, bulk adds, the send lock's hand-over, run totals, holds, the review claim.
import assert from 'node:assert/strict';
import { engineTest } from '../helpers/engines.ts';
import type { LockClaimant } from '../../src/mail/send-lock.ts';
import { movableClock, storeIn, tempDir } from '../subscribers/helpers.ts';

const ISSUE = { list: 'news', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 'This week' };

engineTest('issues: created once whoever asks (another connection included); listed per list, newest window first', async (t, engine) => {
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { engine }), await storeIn(dir, { engine })];
  t.after(() => Promise.all([a.close(), b.close()]));
  const first = await a.issues.issueFor(ISSUE);
  assert.deepEqual(await b.issues.issueFor({ ...ISSUE, subject: 'another subject' }), first, 'the second finds the first, unchanged');
  await a.issues.issueFor({ ...ISSUE, windowStart: '2016-12-05' });
  await a.issues.issueFor({ ...ISSUE, list: 'other' });
  assert.deepEqual((await b.issues.list('news')).map((i) => i.windowStart), ['2016-12-05', '2016-11-28']);
  assert.equal((await b.issues.list()).length, 3);
  assert.equal(await b.issues.find('news', '2016-12-12'), undefined);
});

engineTest('subscribers.addAll: one result per row in order; a suppressed address is reported and left as it is', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  await store.subscribers.add({ email: 'old@example.org', name: 'Old' }, { source: 'cli' });
  const gone = (await store.subscribers.add({ email: 'gone@example.org' }, { source: 'cli' })).subscriber;
  await store.subscribers.unsubscribe(gone.id);
  const results = await store.subscribers.addAll(
    [{ email: 'new@example.org' }, { email: 'GONE@example.org', name: 'Back?' }, { email: 'OLD@example.org', kinds: ['webinar'] }],
    { source: 'import:x.csv' },
  );
  assert.deepEqual(results.map((r) => [r.outcome, 'subscriber' in r && r.subscriber.email, 'subscriber' in r && r.subscriber.status]), [
    ['created', 'new@example.org', 'active'],
    ['suppressed', 'gone@example.org', 'unsubscribed'],
    ['updated', 'OLD@example.org', 'active'],
  ]);
  const back = await store.subscribers.findByEmail('gone@example.org');
  assert.deepEqual([back?.status, back?.name], ['unsubscribed', null]);
  assert.deepEqual((await store.subscribers.findByEmail('old@example.org'))?.kinds, ['webinar']);
});

engineTest('subscribers.addAll: an address twice in one batch is created, then updated; a forgotten one is reported; ids follow the rows', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  const known = (await store.subscribers.add({ email: 'known@example.org' }, { source: 'cli' })).subscriber;
  const forgotten = (await store.subscribers.add({ email: 'forgotten@example.org' }, { source: 'cli' })).subscriber;
  assert.ok(await store.privacy.forget(forgotten.id));
  const results = await store.subscribers.addAll(
    [
      { email: 'b@example.org' },
      { email: 'Known@example.org', name: 'Known' },
      { email: 'a@example.org', name: 'First' },
      { email: 'Forgotten@example.org' },
      { email: 'A@example.org', kinds: ['webinar'] },
      { email: 'c@example.org' },
    ],
    { source: 'import:x.csv' },
  );
  assert.deepEqual(results.map((r) => [r.outcome, 'subscriber' in r ? r.subscriber.email : null]), [
    ['created', 'b@example.org'],
    ['updated', 'Known@example.org'],
    ['created', 'a@example.org'],
    ['forgotten', null],
    ['updated', 'A@example.org'],
    ['created', 'c@example.org'],
  ]);
  const ids = results.flatMap((r) => (r.outcome === 'created' ? [r.subscriber.id] : []));
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'ids in the rows\' order');
  assert.ok(ids[0] > known.id);
  const a = await store.subscribers.findByEmail('a@example.org');
  assert.deepEqual([a?.email, a?.name, a?.kinds, a?.id], ['A@example.org', 'First', ['webinar'], ids[1]]);
  assert.equal(await store.subscribers.findByEmail('forgotten@example.org'), undefined);
});

engineTest('send locks: taken once; refused while the holder lives; taken over when it may be replaced; only the holder refreshes or frees it', async (t, engine) => {
  const clock = movableClock('2016-11-28T13:00:00Z');
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { clock, engine }), await storeIn(dir, { clock, engine })];
  t.after(() => Promise.all([a.close(), b.close()]));
  const issue = await a.issues.issueFor(ISSUE);
  const seen: string[] = [];
  const claimant = (pid: number, replace: boolean): LockClaimant => ({ pid, host: 'h', replaces: (holder) => (seen.push(holder.holder), replace) });

  const first = await a.sendLocks.acquire(issue.id, claimant(1, false));
  assert.ok(first.ok);
  const refused = await b.sendLocks.acquire(issue.id, claimant(2, false));
  assert.deepEqual(refused, { ok: false, heldBy: { holder: 'pid 1 on h', pid: 1, host: 'h', acquiredAt: '2016-11-28T13:00:00.000Z', heartbeatAt: '2016-11-28T13:00:00.000Z' } });
  clock.set('2016-11-28T13:00:05Z');
  assert.equal(await first.lock.refresh(), true);
  assert.deepEqual((await b.sendLocks.holders()).map((h) => [h.issueId, h.holder, h.heartbeatAt]), [[issue.id, 'pid 1 on h', '2016-11-28T13:00:05.000Z']]);

  const second = await b.sendLocks.acquire(issue.id, claimant(3, true));
  assert.ok(second.ok);
  assert.deepEqual(seen, ['pid 1 on h', 'pid 1 on h'], 'the claimant judged the holder it found');
  assert.equal(await first.lock.refresh(), false, 'the first sender learns it was taken over');
  await first.lock.release();
  assert.deepEqual((await a.sendLocks.holders()).map((h) => h.holder), ['pid 3 on h'], "the old holder cannot free its successor's lock");
  await second.lock.release();
  assert.deepEqual(await a.sendLocks.holders(), []);
});

engineTest('schedule: a run keeps its first time, adds sent/failed/skipped and replaces deferred; holds; the review claimed once', async (t, engine) => {
  const clock = movableClock('2016-11-28T13:00:00Z');
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { clock, engine }), await storeIn(dir, { clock, engine })];
  t.after(() => Promise.all([a.close(), b.close()]));
  const at = '2016-11-28T13:00:00.000Z';
  await a.schedule.recordRun('news', at, '2016-11-28', { state: 'incomplete', counts: { sent: 5, failed: 1, deferred: 3, skipped: 2 }, attempted: true });
  clock.set('2016-11-28T13:15:00Z');
  const run = await b.schedule.recordRun('news', at, '2016-11-28', { state: 'sent', counts: { sent: 3, failed: 0, deferred: 0, skipped: 0 }, attempted: true });
  assert.deepEqual(
    [run.state, run.sent, run.failed, run.deferred, run.skipped, run.attempts, run.firstAt, run.updatedAt],
    ['sent', 8, 1, 0, 2, 2, '2016-11-28T13:00:00.000Z', '2016-11-28T13:15:00.000Z'],
  );
  assert.deepEqual(await a.schedule.run('news', at), run);
  assert.deepEqual((await a.schedule.latestRuns('news', 5)).map((r) => r.scheduledFor), [at]);
  assert.deepEqual(await a.schedule.latestRuns('other', 5), []);

  await a.schedule.hold('news', '2016-12-05');
  await a.schedule.hold('news', '2016-11-28');
  assert.deepEqual(await b.schedule.held('news'), ['2016-11-28', '2016-12-05']);
  assert.equal(await b.schedule.release('news', '2016-11-28'), true);
  assert.equal(await b.schedule.release('news', '2016-11-28'), false, 'not held any more');
  assert.deepEqual([await a.schedule.isHeld('news', '2016-11-28'), await a.schedule.isHeld('news', '2016-12-05')], [false, true]);

  const claims = await Promise.all([a.schedule.claimReview('news', at), b.schedule.claimReview('news', at)]);
  assert.deepEqual(claims.sort(), [false, true]);
  assert.equal(await b.schedule.reviewSentAt('news', at), '2016-11-28T13:15:00.000Z');
  await a.schedule.unclaimReview('news', at);
  assert.equal(await b.schedule.claimReview('news', at), true, 'given back, it can be claimed again');
});

engineTest('notes: one per (list, issue), replaced by a second set, seen by another connection, cleared once', async (t, engine) => {
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { engine }), await storeIn(dir, { engine })];
  t.after(() => Promise.all([a.close(), b.close()]));
  assert.equal(await a.notes.get('news', '2016-11-28'), undefined);
  await a.notes.set('news', '2016-11-28', 'First **draft**');
  await a.notes.set('news', '2016-11-28', 'No meetings on Dec 24.');
  await a.notes.set('other', '2016-11-28', 'Another list');
  assert.equal(await b.notes.get('news', '2016-11-28'), 'No meetings on Dec 24.');
  assert.equal(await b.notes.get('news', '2016-12-05'), undefined, 'a note belongs to one issue');
  assert.equal(await b.notes.clear('news', '2016-11-28'), true);
  assert.equal(await a.notes.clear('news', '2016-11-28'), false);
  assert.equal(await a.notes.get('other', '2016-11-28'), 'Another list');
});

engineTest('admin sessions and the link secret: one process logs in or signs, another (a second web process) sees it', async (t, engine) => {
  const dir = tempDir();
  const [a, b] = [await storeIn(dir, { engine }), await storeIn(dir, { engine })];
  t.after(() => Promise.all([a.close(), b.close()]));
  const issuedAt = new Date('2016-11-28T12:00:00.000Z');
  await a.adminSessions.create({ idHash: 'h1', tokenHash: 't1', client: '127.0.0.1 curl', issuedAt });
  await a.adminSessions.create({ idHash: 'h2', tokenHash: 'old', client: '127.0.0.1 curl', issuedAt });
  assert.deepEqual(await b.adminSessions.find('h1'), { idHash: 'h1', tokenHash: 't1', client: '127.0.0.1 curl', issuedAt });
  assert.equal(await b.adminSessions.prune(new Date('2016-11-28T00:00:00.000Z'), 't1'), 1, 'another token ends its sessions');
  await b.adminSessions.delete('h1');
  assert.equal(await a.adminSessions.find('h1'), undefined, 'a logout on one is a logout on both');
  assert.equal(await a.meta.linkSecret(), await b.meta.linkSecret(), 'links signed by one verify in the other');
});
