// "Delete my data" on the preferences page, clicked in Debian's Chromium against the app on a loopback port:
// a confirmation, then the POST that forgets the reader; a forged cross-site POST is refused.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { signToken } from '../../src/subscribers/tokens.ts';
import { listen, type Listening } from '../../src/web/serve.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { freePort, webEnv, type WebEnv } from '../helpers/web-env.ts';

/** The app on a free loopback port, closed (with the browser, if one was started) when the test ends. */
async function served(t: TestContext): Promise<{ w: WebEnv; base: string; browser(): Promise<Browser | undefined> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const w = await webEnv({ config: { baseUrl: base } });
  const server = await listen(w.app, '127.0.0.1', port);
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await server.close();
    await w.close();
  });
  return { w, base, browser: async () => (browser ??= await launchBrowser(t)) };
}

test('a POST from another site forgets nobody', async (t) => {
  const { w, base } = await served(t);
  const { subscriber } = await w.store.subscribers.add({ email: 'kept@example.org' }, { source: 'test' });
  const token = signToken(w.deps.linkSecret, 'preferences', subscriber.id);
  const forged = await fetch(`${base}/preferences/${token}/delete`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(forged.status, 403);
  assert.ok(await w.store.subscribers.findByEmail('kept@example.org'));
});

test('in Chromium: preferences → Delete my data → confirm → the reader is forgotten', async (t) => {
  const { w, base, browser } = await served(t);
  const { subscriber } = await w.store.subscribers.add({ email: 'lea@example.org', name: 'Lea' }, { source: 'test' });
  const token = signToken(w.deps.linkSecret, 'preferences', subscriber.id);
  const b = await browser();
  if (!b) return;
  const page = await b.newPage();
  await page.goto(`${base}/preferences/${token}`);
  await page.click('a:has-text("Delete my data")');
  await page.waitForSelector('h1:has-text("Delete my data")');
  assert.ok(await w.store.subscribers.findByEmail('lea@example.org'), 'the link alone deletes nothing');
  await page.click('button:has-text("Yes, delete my data")');
  await page.waitForSelector('h1:has-text("Your data is deleted")');
  assert.equal(await w.store.subscribers.findByEmail('lea@example.org'), undefined);
  assert.equal(await w.store.privacy.isForgotten('lea@example.org'), true);
  assert.deepEqual((await w.store.audit.recent(1)).map((a) => [a.action, a.client]), [['forget', 'the subscriber']]);
  // The old link now says nothing about who it was.
  await page.goto(`${base}/preferences/${token}/delete`);
  assert.doesNotMatch(await page.content(), /lea@example\.org/);
  await page.close();
});
