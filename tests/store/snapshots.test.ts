// Issue snapshots through the Store interface: written once (a second record keeps the first), the latest one that
// reached a reader, and the kinds each copy carried recorded with 'sending'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IssueSnapshot, SnapshotItem } from '../../src/changes/model.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

const ISSUE = { list: 'news', windowStart: '2016-11-28', windowEnd: '2016-12-19', timezone: 'America/New_York', subject: 'This week' };
const item = (title: string): SnapshotItem => ({
  key: `e|`, eventId: 'e', kind: 'webinar', title, allDay: false, start: '2016-12-06T11:00:00-08:00', end: '2016-12-06T12:00:00-08:00',
  startMs: Date.parse('2016-12-06T19:00:00Z'), endMs: Date.parse('2016-12-06T20:00:00Z'), timezone: 'America/Los_Angeles',
  location: null, status: 'confirmed', links: [{ label: 'Register', url: 'https://example.org/r' }], change: null,
});
const snapshot = (title: string): IssueSnapshot => ({ takenAt: '2016-11-28T13:00:00.000Z', comparedWith: null, items: [item(title)], events: [{ id: 'e' }], calendarIds: ['e', 'f'] });

test('snapshots: recorded once, read back whole; latestBefore only finds an issue that reached a reader', async (t) => {
  const store = await storeIn(tempDir());
  t.after(() => store.close());
  const issue = await store.issues.issueFor(ISSUE);
  assert.equal(await store.snapshots.record(issue.id, snapshot('As sent')), true);
  assert.equal(await store.snapshots.record(issue.id, snapshot('Edited later')), false);
  assert.deepEqual(await store.snapshots.get(issue.id), snapshot('As sent'));
  assert.equal(await store.snapshots.latestBefore('news', '2016-12-05'), undefined, 'nobody got it yet');

  const { subscriber } = await store.subscribers.add({ email: 'a@example.org', kinds: ['webinar'] }, { source: 'test' });
  assert.equal(await store.deliveries.enqueue(issue.id, [subscriber.id, 999], 'm.', '@x'), 1, 'only an active subscriber is queued');
  await store.deliveries.markAll(issue.id, [{ subscriberId: subscriber.id, state: 'sending', kinds: ['webinar'] }]);
  await store.subscribers.updatePreferences(subscriber.id, { kinds: ['action'] });
  await store.deliveries.markAll(issue.id, [{ subscriberId: subscriber.id, state: 'sent' }]);
  assert.deepEqual(await store.deliveries.readers(issue.id), [{ subscriberId: subscriber.id, kinds: ['webinar'] }], 'the kinds of the copy, not of today');
  assert.equal((await store.snapshots.latestBefore('news', '2016-12-05'))?.issue.id, issue.id);
  assert.equal(await store.snapshots.latestBefore('news', '2016-11-28'), undefined, 'strictly before');
});
