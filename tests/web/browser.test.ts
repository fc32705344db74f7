// The whole reader and organizer flow in Debian's Chromium against the app listening on a loopback port.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { listen, type Listening } from '../../src/web/serve.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { linkIn, webEnv, type WebEnv } from '../helpers/web-env.ts';
import { sendSeedIssue } from './unsubscribe.test.ts';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs' : join(tmpdir(), `ed-web-shots-${process.pid}`);

describe('in a real browser', () => {
  let w: WebEnv;
  let server: Listening;
  let browser: Browser | undefined;
  let base = '';
  /** CSP violations and script errors the pages reported: there must be none. */
  const complaints: string[] = [];

  before(async () => {
    mkdirSync(shots, { recursive: true });
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

  async function open(t: import('node:test').TestContext, path: string, opts: { width?: number; timezoneId?: string } = {}): Promise<Page | undefined> {
    browser ??= await launchBrowser(t);
    if (!browser) return undefined;
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, timezoneId: opts.timezoneId ?? 'UTC' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') complaints.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => complaints.push(`${page.url()}: ${e.message}`));
    await page.goto(base + path);
    return page;
  }

  it('subscribe → confirmation mail in the outbox → confirm → active', async (t) => {
    const page = await open(t, '/subscribe', { width: 420, timezoneId: 'Europe/Berlin' });
    if (!page) return;
    assert.equal(await page.inputValue('#timezone'), 'Europe/Berlin', "the page's script filled in the browser's zone");
    await page.screenshot({ path: join(shots, 'web-subscribe.png'), fullPage: true });
    await page.fill('#email', 'mia@example.org');
    await page.fill('#name', 'Mia');
    await page.uncheck('input[name="kinds"][value="action"]');
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:has-text("Check your inbox")');
    assert.equal((await w.store.subscribers.findByEmail('mia@example.org'))!.status, 'pending');

    const mail = (await w.mails()).find((m) => m.subject?.startsWith('Confirm'))!;
    await page.goto(linkIn(mail, `${base}/confirm/`));
    await page.click('button:has-text("Confirm my subscription")');
    await page.waitForSelector('h1:has-text("You are subscribed")');
    const s = (await w.store.subscribers.findByEmail('mia@example.org'))!;
    assert.deepEqual([s.status, s.timezone, s.kinds], ['active', 'Europe/Berlin', ['webinar', 'conference']]);

    await page.goto(`${base}/admin/subscribers`);
    assert.equal(await page.textContent('[data-status="active"]'), '1');
    await page.context().close();
  });

  it('the preview page shows the seed week, in both frames', async (t) => {
    const page = await open(t, '/admin');
    if (!page) return;
    assert.match((await page.textContent('#subject')) ?? '', /^Dec 6: RE-volv Webinar, Blueprint for a Great Democracy and 1 more \(Nov 28 – Dec 18\)$/);
    for (const cls of ['desktop', 'phone']) {
      const frame = page.frameLocator(`iframe.${cls}`);
      await frame.locator('h3', { hasText: 'RE-volv Webinar' }).first().waitFor();
      assert.ok(await frame.locator('h3', { hasText: '#NoLameDuck Uprising' }).first().isVisible());
    }
    await page.screenshot({ path: join(shots, 'web-preview.png'), fullPage: false });
    await page.context().close();
  });

  it('unsubscribe with the link taken from a sent message', async (t) => {
    await w.store.subscribers.add({ email: 'ned@example.org', name: 'Ned' }, { source: 'test' });
    await sendSeedIssue(w);
    const mail = (await w.mails('event-digest-2016-11-28')).find((m) => m.text?.includes('Ned'))!;
    const page = await open(t, new URL(linkIn(mail, `${base}/unsubscribe/`)).pathname);
    if (!page) return;
    assert.equal((await w.store.subscribers.findByEmail('ned@example.org'))!.status, 'active', 'opening the link changes nothing');
    await page.click('button:has-text("Unsubscribe")');
    await page.waitForSelector('h1:has-text("You are unsubscribed")');
    assert.equal((await w.store.subscribers.findByEmail('ned@example.org'))!.status, 'unsubscribed');
    await page.context().close();
  });

  it('a preference change shows in the next preview', async (t) => {
    const mail = (await w.mails('event-digest-2016-11-28')).find((m) => m.text?.includes('Mia'))!;
    const page = await open(t, new URL(linkIn(mail, `${base}/preferences/`)).pathname);
    if (!page) return;
    await page.fill('#timezone', 'Asia/Tokyo');
    await page.uncheck('input[name="kinds"][value="conference"]');
    await page.click('button:has-text("Save")');
    await page.waitForSelector('text=Saved.');
    await page.goto(`${base}/admin?date=2016-11-28&subscriber=mia%40example.org`);
    const frame = page.frameLocator('iframe.desktop');
    await frame.locator('h3', { hasText: 'RE-volv Webinar' }).first().waitFor();
    const body = (await frame.locator('body').textContent()) ?? '';
    assert.match(body, /Japan|Tokyo/);
    assert.doesNotMatch(body, /Blueprint for a Great Democracy/, 'no conferences any more');
    await page.context().close();
  });

  it('no page broke its own CSP or threw', () => {
    assert.deepEqual(complaints, []);
  });
});
