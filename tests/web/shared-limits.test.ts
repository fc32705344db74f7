// Rate limits live in the database: two web apps on one database (two `serve` processes behind one address) count
// a client's posts, and the mails to one address, together; the table holds hashes, never an address.
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { Config } from '../../src/config/schema.ts';
import type { Store } from '../../src/store/store.ts';
import { createApp } from '../../src/web/app.ts';
import { engineTest, rawSql } from '../helpers/engines.ts';
import { BASE, webEnv } from '../helpers/web-env.ts';
import { storeIn, tempDir } from '../subscribers/helpers.ts';

function poster(app: Hono) {
  return (path: string, fields: Record<string, string>, remote: string) =>
    Promise.resolve(
      app.request(
        new URL(path, BASE).toString(),
        { method: 'POST', headers: { host: '127.0.0.1:3000', origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) },
        { incoming: { socket: { remoteAddress: remote } } },
      ),
    ).then((r) => r.status);
}

engineTest('two web apps on one database count a client together, and the mails to one address', async (t, engine) => {
  const w = await webEnv({ config: { limits: { formPosts: 4, windowMinutes: 10, mailsPerAddressPerHour: 2 } as Config['limits'] } });
  const dir = tempDir();
  const stores: Store[] = [await storeIn(dir, { engine, clock: w.clock }), await storeIn(dir, { engine, clock: w.clock })];
  t.after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await w.close();
  });
  const [a, b] = await Promise.all(stores.map(async (store) => poster(createApp({ ...w.deps, store, linkSecret: await store.meta.linkSecret() }))));

  // One address asked for three times through both apps: two confirmation mails, the third answered but not sent.
  const statuses = [await a('/subscribe', { email: 'ana@example.org', kinds: 'action' }, '203.0.113.9'), await b('/subscribe', { email: 'Ana@Example.org ', kinds: 'action' }, '203.0.113.20'), await a('/subscribe', { email: 'ana@example.org', kinds: 'action' }, '203.0.113.21')];
  assert.deepEqual(statuses, [200, 200, 200]);
  assert.equal((await w.mails()).length, 2, 'two mails to one address per hour, whichever process answered');

  // The client at .9 posted once already; three more across both apps reach the limit of four, the fifth is refused by either.
  const more = [await b('/subscribe', { email: 'b1@example.org', kinds: 'action' }, '203.0.113.9'), await a('/subscribe', { email: 'b2@example.org', kinds: 'action' }, '203.0.113.9'), await b('/subscribe', { email: 'b3@example.org', kinds: 'action' }, '203.0.113.9')];
  assert.deepEqual(more, [200, 200, 200]);
  assert.equal(await a('/subscribe', { email: 'b4@example.org', kinds: 'action' }, '203.0.113.9'), 429);
  assert.equal(await b('/subscribe', { email: 'b5@example.org', kinds: 'action' }, '203.0.113.9'), 429);
  assert.equal(await b('/subscribe', { email: 'c@example.org', kinds: 'action' }, '203.0.113.10'), 200, 'another client is counted apart');

  // Both at once: the count is one statement, so neither post is lost between the processes.
  const burst = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? a : b)('/subscribe', { email: `d${i}@example.org`, kinds: 'action' }, '203.0.113.30')));
  assert.deepEqual([...burst].sort(), [200, 200, 200, 200, 429, 429]);

  const rows = await rawSql(engine, dir, 'SELECT bucket, key_hash FROM rate_limits');
  assert.ok(rows.length >= 4);
  for (const r of rows) assert.doesNotMatch(String(r.key_hash), /example\.org|203\.0\.113/, 'keys are hashed');

  // A new window: the client may post again, and the expired rows of the bucket are deleted as others are counted.
  w.clock.advance(10 * 60_000);
  assert.equal(await a('/subscribe', { email: 'e@example.org', kinds: 'action' }, '203.0.113.9'), 200);
  const forms = await rawSql(engine, dir, "SELECT key_hash FROM rate_limits WHERE bucket = 'form'");
  assert.equal(forms.length, 1, 'only the client that posted in this window is left');
});
