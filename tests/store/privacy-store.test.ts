// The privacy and audit repositories through the Store interface only, on both engines: the status history kept
// by the triggers, forgetting (tallies keep the counts, a suppression keeps the address out), the ledger's
// retention (tallies, and the issue closed to queueing), and the audit trail newest first.
import assert from 'node:assert/strict';
import { engineTest } from '../helpers/engines.ts';
import { movableClock, storeIn, tempDir } from '../subscribers/helpers.ts';

const ISSUE = { list: 'news', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 'This week' };

engineTest('privacy: history by triggers, forget into tallies and a suppression, retention closes the issue; audit newest first', async (t, engine) => {
  const clock = movableClock('2016-11-28T12:00:00Z');
  const dir = tempDir();
  const store = await storeIn(dir, { engine, clock });
  t.after(() => store.close());
  const ann = (await store.subscribers.requestSubscription({ email: 'ann@example.org' }, 'web')).subscriber;
  clock.set('2016-11-28T12:05:00Z');
  await store.subscribers.confirm(ann.id);
  const bo = (await store.subscribers.add({ email: 'bo@example.org' }, { source: 'cli' })).subscriber;
  const cy = (await store.subscribers.add({ email: 'cy@example.org' }, { source: 'cli' })).subscriber;
  clock.set('2016-11-28T12:10:00Z');
  await store.subscribers.unsubscribe(cy.id);
  await store.subscribers.updatePreferences(bo.id, { kinds: ['webinar'] });
  assert.deepEqual((await store.privacy.personalData(ann.id)).history, [
    { at: '2016-11-28T12:00:00.000Z', status: 'pending' },
    { at: '2016-11-28T12:05:00.000Z', status: 'active' },
  ]);
  assert.deepEqual((await store.privacy.personalData(bo.id)).history, [{ at: '2016-11-28T12:05:00.000Z', status: 'active' }], 'a change of kinds is no status change');
  assert.deepEqual((await store.privacy.personalData(cy.id)).history.map((h) => h.status), ['active', 'unsubscribed']);

  const issue = await store.issues.issueFor(ISSUE);
  assert.equal(await store.deliveries.enqueueActive(issue.id, 'm.', '@x'), 2);
  await store.deliveries.markAll(issue.id, [
    { subscriberId: ann.id, state: 'sending' },
    { subscriberId: bo.id, state: 'sending' },
  ]);
  await store.deliveries.markAll(issue.id, [
    { subscriberId: ann.id, state: 'sent' },
    { subscriberId: bo.id, state: 'failed', reply: '550 no such user bo@example.org' },
  ]);
  assert.equal((await store.privacy.personalData(ann.id)).deliveries.length, 1);

  assert.equal(await store.privacy.forget(ann.id), true);
  assert.equal(await store.privacy.forget(ann.id), false, 'gone already');
  await store.privacy.compact();
  assert.equal(await store.subscribers.get(ann.id), undefined);
  assert.deepEqual(await store.privacy.personalData(ann.id), { history: [], requests: [], deliveries: [] });
  assert.equal(await store.privacy.isForgotten('ANN@example.org'), true, 'by the keyed hash of the address');
  assert.equal(await store.privacy.isForgotten('bo@example.org'), false);
  assert.deepEqual(await store.deliveries.counts(issue.id), { queued: 0, sending: 0, sent: 1, failed: 1, skipped: 0, deferred: 0 }, 'the forgotten row still counts');
  await assert.rejects(store.subscribers.add({ email: 'ann@example.org' }, { source: 'cli' }), /forgotten at their request/);
  assert.deepEqual(
    (await store.subscribers.addAll([{ email: 'ann@example.org' }], { source: 'import:x.csv' })).map((r) => r.outcome),
    ['forgotten'],
  );

  // A year on: the finished rows become counts, and the issue queues nobody new.
  assert.equal(await store.privacy.pruneLedger(new Date('2016-11-28T12:00:00Z')), 0, 'nothing that old');
  assert.equal(await store.privacy.pruneLedger(new Date('2017-11-28T12:00:00Z')), 1);
  assert.deepEqual(await store.deliveries.counts(issue.id), { queued: 0, sending: 0, sent: 1, failed: 1, skipped: 0, deferred: 0 });
  assert.deepEqual((await store.privacy.personalData(bo.id)).deliveries, []);
  await store.subscribers.add({ email: 'dee@example.org' }, { source: 'cli' });
  assert.equal(await store.deliveries.enqueueActive(issue.id, 'm.', '@x'), 0, 'a pruned issue is closed');
  // --reactivate lifts the suppression.
  assert.equal((await store.subscribers.add({ email: 'ann@example.org' }, { source: 'cli', reactivate: true })).outcome, 'created');
  assert.equal(await store.privacy.isForgotten('ann@example.org'), false);

  await store.audit.record({ action: 'hold', detail: '2016-11-28', client: 'cli a@b' });
  clock.set('2016-11-28T12:20:00Z');
  await store.audit.record({ action: 'forget', detail: `subscriber ${ann.id}`, client: 'cli a@b' });
  assert.deepEqual(await store.audit.recent(5), [
    { at: '2016-11-28T12:20:00.000Z', action: 'forget', detail: `subscriber ${ann.id}`, client: 'cli a@b' },
    { at: '2016-11-28T12:10:00.000Z', action: 'hold', detail: '2016-11-28', client: 'cli a@b' },
  ]);
  assert.equal((await store.audit.recent(1)).length, 1);
});
