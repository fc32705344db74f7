// The home page and the organizer's subscriber pages in Debian's Chromium, against the app on a loopback port.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { listen, type Listening } from '../../src/web/serve.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs' : join(tmpdir(), `ed-web-shots-${process.pid}`);

describe('home page and subscriber list in a real browser', () => {
  let w: WebEnv;
  let server: Listening;
  let browser: Browser | undefined;
  const complaints: string[] = [];

  before(async () => {
    mkdirSync(shots, { recursive: true });
    w = await webEnv();
    server = await listen(w.app, '127.0.0.1', 0);
    // baseUrl stays the default: the pages tested here link and post relatively, and forms pass the same-origin check.
    await w.store.subscribers.addAll(
      Array.from({ length: 120 }, (_, i) => ({ email: `p${String(i).padStart(3, '0')}@example.org`, name: `Person ${i}` })),
      { source: 'test' },
    );
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  async function open(t: TestContext, path: string, opts: BrowserContextOptions = {}): Promise<Page | undefined> {
    browser ??= await launchBrowser(t);
    if (!browser) return undefined;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', acceptDownloads: true, ...opts });
    const page = await context.newPage();
    page.on('console', (m) => {
      // A refused form answers 400 on purpose; Chromium logs every 4xx page as an error.
      if (m.type() === 'error' && !/status of 400/.test(m.text())) complaints.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => complaints.push(`${page.url()}: ${e.message}`));
    await page.goto(server.url + path);
    return page;
  }

  it('home: the coming weeks and a subscribe form that picks the browser’s zone', async (t) => {
    const page = await open(t, '/', { viewport: { width: 420, height: 900 }, timezoneId: 'Asia/Kolkata' });
    if (!page) return;
    assert.ok(await page.locator('h3', { hasText: '#NoLameDuck Uprising' }).isVisible());
    assert.ok(await page.locator('h3', { hasText: 'RE-volv Webinar' }).isVisible());
    assert.equal(await page.inputValue('#timezone'), 'Asia/Kolkata', 'found under its current name though Chromium may say Asia/Calcutta');
    await page.screenshot({ path: join(shots, 'web-home.png'), fullPage: true });
    await page.fill('#email', 'kim@example.org');
    await page.uncheck('input[name="kinds"][value="conference"]');
    await page.click('aside button[type="submit"]');
    await page.waitForSelector('h1:has-text("Check your inbox")');
    const s = (await w.store.subscribers.findByEmail('kim@example.org'))!;
    assert.deepEqual([s.status, s.timezone, s.kinds], ['pending', 'Asia/Kolkata', ['action', 'webinar']]);
    await page.context().close();
  });

  it('home without script: the list’s zone stays chosen and the form still works', async (t) => {
    const page = await open(t, '/', { javaScriptEnabled: false, timezoneId: 'Europe/Berlin' });
    if (!page) return;
    assert.equal(await page.inputValue('#timezone'), 'America/New_York');
    await page.fill('#email', 'noscript@example.org');
    await page.selectOption('#timezone', 'Europe/Lisbon');
    await page.click('aside button[type="submit"]');
    await page.waitForSelector('h1:has-text("Check your inbox")');
    assert.equal((await w.store.subscribers.findByEmail('noscript@example.org'))!.timezone, 'Europe/Lisbon');
    await page.context().close();
  });

  it('a failed subscribe keeps the zone and the kinds that were chosen, and the script leaves them alone', async (t) => {
    const page = await open(t, '/subscribe', { timezoneId: 'Europe/Berlin' });
    if (!page) return;
    await page.fill('#email', 'not an address');
    await page.selectOption('#timezone', 'Pacific/Auckland');
    await page.uncheck('input[name="kinds"][value="action"]');
    await page.click('button[type="submit"]');
    await page.waitForSelector('.problems');
    assert.equal(await page.inputValue('#email'), 'not an address');
    assert.equal(await page.inputValue('#timezone'), 'Pacific/Auckland');
    assert.deepEqual(await page.locator('input[name="kinds"]:checked').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value)), ['webinar', 'conference']);
    await page.context().close();
  });

  it('subscribers: search, filter, page, unsubscribe and add', async (t) => {
    const page = await open(t, '/admin/subscribers');
    if (!page) return;
    assert.match((await page.textContent('#matching')) ?? '', /^122 matching/);
    assert.equal(await page.locator('table.subscribers tbody tr').count(), 50);
    await page.click('a[rel="next"]');
    await page.waitForURL(/after=/);
    assert.equal(await page.locator('table.subscribers tbody tr').first().getAttribute('data-email'), 'p048@example.org');
    await page.click('a[rel="prev"]');
    await page.waitForURL(/before=/);
    assert.equal(await page.locator('table.subscribers tbody tr').first().getAttribute('data-email'), 'kim@example.org');

    await page.fill('#q', 'person 11');
    await page.selectOption('#status', 'active');
    await page.click('form[role="search"] button');
    await page.waitForURL(/q=person\+11/);
    assert.equal(await page.locator('table.subscribers tbody tr').count(), 11);
    await page.click('button[aria-label="Unsubscribe p110@example.org"]');
    await page.waitForSelector('text=is unsubscribed and kept as a suppression');
    assert.match(page.url(), /q=person\+11&status=active&unsubscribed=\d+$/, 'back on the same filter');
    assert.equal(await page.locator('table.subscribers tbody tr').count(), 10);
    assert.equal((await w.store.subscribers.findByEmail('p110@example.org'))!.status, 'unsubscribed');

    await page.fill('#add-email', 'lee@example.org');
    await page.fill('#add-name', 'Lee');
    await page.selectOption('#add-timezone', 'Europe/Paris');
    // The reader's place, as the subscribe form asks it: a typo is one line on the form and nothing is saved.
    await page.fill('#add-location', 'Colombus, OH');
    await page.selectOption('#add-radius', '25');
    await page.click('aside form[action="/admin/subscribers/add"] button');
    await page.waitForSelector('.problems');
    assert.deepEqual(await page.locator('.problems li').allTextContents(), ["Where they are: unknown place 'Colombus, OH'; did you mean Columbus, OH?"]);
    assert.equal(await w.store.subscribers.findByEmail('lee@example.org'), undefined);
    assert.deepEqual([await page.inputValue('#add-email'), await page.inputValue('#add-timezone'), await page.inputValue('#add-radius')], ['lee@example.org', 'Europe/Paris', '25']);
    await page.fill('#add-location', 'Columbus, OH');
    await page.click('aside form[action="/admin/subscribers/add"] button');
    await page.waitForSelector('text=is on the list: active, near Columbus, OH (25 mi)');
    const lee = (await w.store.subscribers.findByEmail('lee@example.org'))!;
    assert.deepEqual([lee.status, lee.timezone, lee.kinds, lee.location?.name, lee.radius], ['active', 'Europe/Paris', [], 'Columbus, OH', 25]);
    await page.screenshot({ path: join(shots, 'web-subscribers.png'), fullPage: false });
    await page.context().close();
  });

  it('subscribers: import a CSV with the CLI’s report, export the list as CSV', async (t) => {
    const page = await open(t, '/admin/subscribers');
    if (!page) return;
    const csv = 'email,name,timezone,kinds\nnew@example.org,New,Asia/Tokyo,webinar\nbroken,,,\np110@example.org,Back?,,\n';
    await page.setInputFiles('#file', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('form[action="/admin/subscribers/import"] button');
    await page.waitForSelector('#import-report');
    assert.equal(
      await page.textContent('#import-report'),
      ["more.csv:3: 'broken' is not an email address (it needs exactly one @)", 'more.csv:4: address is unsubscribed (suppressed); not reactivated', 'imported 1, updated 0, rejected 2'].join('\n'),
    );
    assert.equal((await w.store.subscribers.findByEmail('new@example.org'))!.timezone, 'Asia/Tokyo');

    await page.goto(`${server.url}/admin/subscribers?status=unsubscribed`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export these as CSV')]);
    assert.equal(download.suggestedFilename(), 'subscribers-2016-11-25.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    assert.deepEqual(text.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(',')[0]), ['email', 'p110@example.org']);
    await page.context().close();
  });

  it('no page broke its own CSP or threw', () => {
    assert.deepEqual(complaints, []);
  });
});
