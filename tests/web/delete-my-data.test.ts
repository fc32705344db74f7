// "Delete my data" on the preferences page, clicked in Debian's Chromium against the app on a loopback port:
// a confirmation, then the POST that forgets the reader; a forged cross-site POST is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { signToken } from '../../src/subscribers/tokens.ts';
import { listen, type Listening } from '../../src/web/serve.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { freePort, webEnv, type WebEnv } from '../helpers/web-env.ts';

describe('Delete my data', () => {
  let w: WebEnv;
  let server: Listening;
  let browser: Browser | undefined;
  let base = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    w = await webEnv({ config: { baseUrl: base } });
    server = await listen(w.app, '127.0.0.1', port);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  it('a POST from another site forgets nobody', async () => {
    const { subscriber } = await w.store.subscribers.add({ email: 'kept@example.org' }, { source: 'test' });
    const token = signToken(w.deps.linkSecret, 'preferences', subscriber.id);
    const forged = await fetch(`${base}/preferences/${token}/delete`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(forged.status, 403);
    assert.ok(await w.store.subscribers.findByEmail('kept@example.org'));
  });

  it('preferences → Delete my data → confirm → the reader is forgotten', async (t) => {
    const { subscriber } = await w.store.subscribers.add({ email: 'lea@example.org', name: 'Lea' }, { source: 'test' });
    const token = signToken(w.deps.linkSecret, 'preferences', subscriber.id);
    browser ??= await launchBrowser(t);
    if (!browser) return;
    const page = await browser.newPage();
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
});
