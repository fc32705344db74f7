// The subscriber store on a real SQLite file and a PostgreSQL database: case-insensitive uniqueness, clock timestamps, suppressions that stick.
import assert from 'node:assert/strict';
import { engineTest, rawSql } from '../helpers/engines.ts';
import { DigestError } from '../../src/errors.ts';
import { movableClock, storeIn, tempDir } from './helpers.ts';

engineTest('an address is unique whatever its case: a second add updates the first', async (t, engine) => {
  const dir = tempDir();
  const store = await storeIn(dir, { engine });
  t.after(() => store.close());
  const a = await store.subscribers.add({ email: 'Ann.Lee@Example.org', name: 'Ann' }, { source: 'cli' });
  assert.equal(a.outcome, 'created');
  assert.equal(a.subscriber.email, 'Ann.Lee@Example.org');
  assert.equal(a.subscriber.emailKey, 'ann.lee@example.org');
  const b = await store.subscribers.add({ email: 'ann.lee@EXAMPLE.ORG', timezone: 'Europe/Berlin' }, { source: 'cli' });
  assert.equal(b.outcome, 'updated');
  assert.equal(b.subscriber.id, a.subscriber.id);
  assert.deepEqual([b.subscriber.name, b.subscriber.timezone], ['Ann', 'Europe/Berlin'], 'fields not given are kept');
  assert.equal((await store.subscribers.list()).length, 1);
  assert.equal((await store.subscribers.findByEmail('  ANN.LEE@example.org '))?.id, a.subscriber.id);
  // The database itself holds the rule, not only the code path above.
  await assert.rejects(
    rawSql(engine, dir, "INSERT INTO subscribers (email, email_key, timezone, status, source, created_at, updated_at) VALUES ('x', 'ann.lee@example.org', 'UTC', 'active', 't', 'n', 'n')"),
    /UNIQUE constraint failed: subscribers\.email_key|unique constraint "subscribers_email_key_key"/,
  );
});

engineTest('timestamps come from the injected clock; defaults: the list zone and all kinds', async (t, engine) => {
  const clock = movableClock('2016-11-28T12:00:00Z');
  const store = await storeIn(tempDir(), { clock, engine });
  t.after(() => store.close());
  const { subscriber: s } = await store.subscribers.add({ email: 'bo@example.org' }, { source: 'cli' });
  assert.deepEqual(
    { createdAt: s.createdAt, updatedAt: s.updatedAt, timezone: s.timezone, kinds: s.kinds, status: s.status, confirmedAt: s.confirmedAt },
    { createdAt: '2016-11-28T12:00:00.000Z', updatedAt: '2016-11-28T12:00:00.000Z', timezone: 'America/New_York', kinds: [], status: 'active', confirmedAt: null },
  );
  clock.set('2016-12-01T09:30:00Z');
  const same = (await store.subscribers.add({ email: 'bo@example.org' }, { source: 'cli' })).subscriber;
  assert.equal(same.updatedAt, '2016-11-28T12:00:00.000Z', 'nothing changed, so updated_at stays');
  const changed = (await store.subscribers.add({ email: 'bo@example.org', kinds: ['webinar'] }, { source: 'cli' })).subscriber;
  assert.deepEqual([changed.createdAt, changed.updatedAt, changed.kinds], ['2016-11-28T12:00:00.000Z', '2016-12-01T09:30:00.000Z', ['webinar']]);
});

engineTest('a suppressed address stays suppressed: add refuses it unless reactivate, and the row is kept', async (t, engine) => {
  const clock = movableClock('2016-11-28T12:00:00Z');
  const store = await storeIn(tempDir(), { clock, engine });
  t.after(() => store.close());
  const { subscriber } = await store.subscribers.add({ email: 'cy@example.org', name: 'Cy' }, { source: 'cli' });
  clock.set('2016-11-29T00:00:00Z');
  const gone = (await store.subscribers.unsubscribe(subscriber.id))!;
  assert.deepEqual([gone.status, gone.unsubscribedAt], ['unsubscribed', '2016-11-29T00:00:00.000Z']);
  assert.equal((await store.subscribers.list()).length, 1, 'the row is kept as a suppression');
  await assert.rejects(
    () => store.subscribers.add({ email: 'CY@example.org', name: 'Someone else' }, { source: 'cli' }),
    (e: unknown) => e instanceof DigestError && e.code === 'SUPPRESSED' && e.message === 'cy@example.org is unsubscribed (suppressed); not reactivated',
  );
  assert.equal((await store.subscribers.get(subscriber.id))!.name, 'Cy', 'a refused add changes nothing');
  clock.set('2016-12-05T00:00:00Z');
  const back = await store.subscribers.add({ email: 'cy@example.org' }, { source: 'cli', reactivate: true });
  assert.deepEqual([back.outcome, back.previousStatus, back.subscriber.status, back.subscriber.unsubscribedAt], ['reactivated', 'unsubscribed', 'active', null]);
});

engineTest('bounce and complaint replace an unsubscribe, not the other way round', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  const id = (await store.subscribers.add({ email: 'di@example.org' }, { source: 'cli' })).subscriber.id;
  assert.equal((await store.subscribers.unsubscribe(id))!.status, 'unsubscribed');
  assert.equal((await store.subscribers.suppress(id, 'complained'))!.status, 'complained');
  assert.equal((await store.subscribers.unsubscribe(id))!.status, 'complained');
  assert.equal(await store.subscribers.unsubscribe(9999), undefined);
  assert.deepEqual((await store.subscribers.list('complained')).map((s) => s.id), [id]);
  assert.deepEqual(await store.subscribers.list('active'), []);
});

engineTest('the web flow: a request is pending until confirmed, and never touches an active or suppressed address', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  const req = await store.subscribers.requestSubscription({ email: 'ed@example.org', kinds: ['webinar'] }, 'web');
  assert.deepEqual([req.outcome, req.subscriber.status, req.subscriber.source], ['created', 'pending', 'web']);
  // A second request changes nothing until its own link is followed (tests/security/requests.test.ts).
  assert.deepEqual((await store.subscribers.requestSubscription({ email: 'ED@example.org', kinds: ['action'] }, 'web')).subscriber.kinds, ['webinar']);
  const ok = (await store.subscribers.confirm(req.subscriber.id))!;
  assert.deepEqual([ok.status, ok.confirmedAt], ['active', '2016-11-28T12:00:00.000Z']);
  const again = await store.subscribers.requestSubscription({ email: 'ed@example.org', kinds: ['conference'] }, 'web');
  assert.deepEqual([again.outcome, again.subscriber.kinds], ['active', ['webinar']]);
  await store.subscribers.unsubscribe(ok.id);
  assert.equal((await store.subscribers.requestSubscription({ email: 'ed@example.org' }, 'web')).outcome, 'suppressed');
  assert.equal((await store.subscribers.confirm(ok.id))!.status, 'unsubscribed', 'an old confirm link does not undo an unsubscribe');
  const prefs = (await store.subscribers.updatePreferences(ok.id, { timezone: 'America/Chicago' }))!;
  assert.deepEqual([prefs.timezone, prefs.status, prefs.kinds], ['America/Chicago', 'unsubscribed', ['webinar']]);
});

engineTest('ids are never reused, so an old signed link cannot come to mean someone else', async (t, engine) => {
  const dir = tempDir();
  const store = await storeIn(dir, { engine });
  t.after(() => store.close());
  const first = (await store.subscribers.add({ email: 'fay@example.org' }, { source: 'cli' })).subscriber.id;
  await rawSql(engine, dir, `DELETE FROM subscribers WHERE id = ${first}`);
  const next = (await store.subscribers.add({ email: 'gil@example.org' }, { source: 'cli' })).subscriber.id;
  assert.ok(next > first);
});

engineTest('pages: every subscriber of a status, by id, a page at a time, with the connection free between pages', async (t, engine) => {
  const store = await storeIn(tempDir(), { engine });
  t.after(() => store.close());
  for (let i = 1; i <= 23; i++) await store.subscribers.add({ email: `p${i}@example.org` }, { source: 'test' });
  await store.subscribers.unsubscribe((await store.subscribers.findByEmail('p5@example.org'))!.id);
  await store.subscribers.requestSubscription({ email: 'pending@example.org' }, 'web');
  const sizes: number[] = [];
  const seen: string[] = [];
  for await (const page of store.subscribers.pages('active', 10)) {
    sizes.push(page.length);
    seen.push(...page.map((s) => s.email));
    // A write between pages works: no iterator holds the connection.
    await store.subscribers.updatePreferences(page[0].id, { name: `Seen on page ${sizes.length}` });
  }
  assert.deepEqual(sizes.slice(0, 2), [10, 10]);
  assert.ok(!seen.includes('p5@example.org') && !seen.includes('pending@example.org'));
  assert.deepEqual(seen.slice(0, 5), ['p1@example.org', 'p2@example.org', 'p3@example.org', 'p4@example.org', 'p6@example.org']);
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(seen.includes('p23@example.org'));
  assert.equal(seen.length, 22);
  assert.equal((await store.subscribers.findByEmail('p1@example.org'))!.name, 'Seen on page 1');
});
