// subscribers.search through the Store interface: pages by address both ways, status and text filters, totals.
import assert from 'node:assert/strict';
import { engineTest, type Engine } from '../helpers/engines.ts';
import type { Store } from '../../src/store/store.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

/** 120 addresses a000…a119, every third unsubscribed, names "Person N"; two with LIKE's wildcards in them. */
async function seeded(engine: Engine): Promise<Store> {
  const store = await storeIn(tempDir(), { engine });
  const rows = Array.from({ length: 120 }, (_, i) => ({ email: `a${String(i).padStart(3, '0')}@example.org`, name: `Person ${i}` }));
  await store.subscribers.addAll([...rows, { email: 'per%cent@example.org', name: 'Under_Score' }, { email: 'Zed@Example.org', name: 'ZED' }], { source: 'test' });
  for (let i = 0; i < 120; i += 3) await store.subscribers.unsubscribe((await store.subscribers.findByEmail(rows[i].email))!.id);
  return store;
}

engineTest('search walks the whole list a page at a time, forward then back, in address order', async (t, engine) => {
  const store = await seeded(engine);
  t.after(() => store.close());
  const all = (await store.subscribers.list()).map((s) => s.email);
  assert.equal(all.length, 122);

  const forward: string[] = [];
  let page = await store.subscribers.search({ limit: 50 });
  assert.equal(page.before, undefined, 'the first page has nothing before it');
  for (let n = 0; n < 10; n++) {
    assert.equal(page.total, 122);
    forward.push(...page.subscribers.map((s) => s.email));
    if (page.after === undefined) break;
    page = await store.subscribers.search({ limit: 50, after: page.after });
  }
  assert.deepEqual(forward, all);
  assert.equal(page.subscribers.length, 22);

  const back: string[] = [];
  for (let n = 0; n < 10 && page.before !== undefined; n++) {
    page = await store.subscribers.search({ limit: 50, before: page.before });
    back.unshift(...page.subscribers.map((s) => s.email));
  }
  assert.deepEqual(back, all.slice(0, 100));
  assert.equal(page.before, undefined, 'walked back to the first page');
  assert.equal(page.after, page.subscribers.at(-1)!.id);
});

engineTest('search filters by status and by text in the address or name, wildcards taken literally', async (t, engine) => {
  const store = await seeded(engine);
  t.after(() => store.close());
  const unsubscribed = await store.subscribers.search({ status: 'unsubscribed', limit: 10 });
  assert.equal(unsubscribed.total, 40);
  assert.deepEqual(unsubscribed.subscribers.slice(0, 3).map((s) => s.email), ['a000@example.org', 'a003@example.org', 'a006@example.org']);
  assert.ok(unsubscribed.subscribers.every((s) => s.status === 'unsubscribed'));

  const byName = await store.subscribers.search({ text: ' person 11', limit: 50 });
  assert.deepEqual(byName.subscribers.map((s) => s.name), ['Person 11', 'Person 110', 'Person 111', 'Person 112', 'Person 113', 'Person 114', 'Person 115', 'Person 116', 'Person 117', 'Person 118', 'Person 119']);
  const activeByName = await store.subscribers.search({ text: 'person 11', status: 'active', limit: 50 });
  assert.equal(activeByName.total, 8, "111, 114 and 117 are unsubscribed");

  assert.deepEqual((await store.subscribers.search({ text: '%', limit: 50 })).subscribers.map((s) => s.email), ['per%cent@example.org']);
  assert.deepEqual((await store.subscribers.search({ text: '_', limit: 50 })).subscribers.map((s) => s.name), ['Under_Score']);
  assert.deepEqual((await store.subscribers.search({ text: 'zed@EXAMPLE', limit: 50 })).subscribers.map((s) => s.email), ['Zed@Example.org']);
  const none = await store.subscribers.search({ text: 'nobody', limit: 50 });
  assert.deepEqual([none.subscribers, none.total, none.before, none.after], [[], 0, undefined, undefined]);
});
