// Issue snapshots through the Store interface: written once (a second record keeps the first), the latest one that
// reached a reader, and the kinds and place each copy carried recorded with 'sending'; on both engines.
import assert from 'node:assert/strict';
import type { IssueSnapshot, SnapshotItem } from '../../src/changes/model.ts';
import { engineTest } from '../helpers/engines.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

const ISSUE = { list: 'news', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 'This week' };
const item = (title: string): SnapshotItem => ({
  key: `e|`, eventId: 'e', kind: 'webinar', title, allDay: false, start: '2016-12-06T11:00:00-08:00', end: '2016-12-06T12:00:00-08:00',
  startMs: Date.parse('2016-12-06T19:00:00Z'), endMs: Date.parse('2016-12-06T20:00:00Z'), timezone: 'America/Los_Angeles',
  location: null, status: 'confirmed', links: [{ label: 'Register', url: 'https://example.org/r' }], change: null,
});
const snapshot = (title: string): IssueSnapshot => ({ takenAt: '2016-11-28T13:00:00.000Z', comparedWith: null, items: [item(title)], events: [{ id: 'e' }], calendarIds: ['e', 'f'] });

engineTest('snapshots: recorded once, read back whole; latestBefore only finds an issue that reached a reader', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  const issue = await store.issues.issueFor(ISSUE);
  assert.equal(await store.snapshots.record(issue.id, snapshot('As sent')), true);
  assert.equal(await store.snapshots.record(issue.id, snapshot('Edited later')), false);
  assert.deepEqual(await store.snapshots.get(issue.id), snapshot('As sent'));
  assert.equal(await store.snapshots.latestBefore('news', '2016-12-05'), undefined, 'nobody got it yet');

  const { subscriber } = await store.subscribers.add({ email: 'a@example.org', kinds: ['webinar'] }, { source: 'test' });
  const springfield = { name: 'Springfield, IL', lat: 39.80172, lon: -89.64371 };
  const local = (await store.subscribers.add({ email: 'b@example.org', location: springfield, radius: 25 }, { source: 'test' })).subscriber;
  assert.deepEqual([local.location, local.radius], [springfield, 25], 'the place and radius read back');
  assert.equal(await store.deliveries.enqueue(issue.id, [subscriber.id, local.id, 999], 'm.', '@x'), 2, 'only active subscribers are queued');
  await store.deliveries.markAll(issue.id, [
    { subscriberId: subscriber.id, state: 'sending', kinds: ['webinar'] },
    { subscriberId: local.id, state: 'sending', kinds: [], place: { lat: springfield.lat, lon: springfield.lon, radius: 25 } },
  ]);
  await store.subscribers.updatePreferences(subscriber.id, { kinds: ['action'] });
  await store.subscribers.updatePreferences(local.id, { location: null });
  await store.deliveries.markAll(issue.id, [{ subscriberId: subscriber.id, state: 'sent' }, { subscriberId: local.id, state: 'sent' }]);
  assert.deepEqual(
    await store.deliveries.readers(issue.id),
    [
      { subscriberId: subscriber.id, kinds: ['webinar'] },
      { subscriberId: local.id, kinds: [], place: { lat: springfield.lat, lon: springfield.lon, radius: 25 } },
    ],
    'the kinds and place of the copy, not of today',
  );
  assert.equal((await store.subscribers.get(local.id))?.location, null, 'a place cleared');
  assert.equal((await store.snapshots.latestBefore('news', '2016-12-05'))?.issue.id, issue.id);
  assert.equal(await store.snapshots.latestBefore('news', '2016-11-28'), undefined, 'strictly before');
});
