// The subscribe and preferences forms' location field and radius choice, in Debian's Chromium against the app on a loopback port.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { listen, type Listening } from '../../src/web/serve.ts';
import { loadGazetteer } from '../../src/places/gazetteer.ts';
import { readerLinks } from '../../src/subscribers/links.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { freePort, linkIn, webEnv, type WebEnv } from '../helpers/web-env.ts';

describe('location and radius on the reader forms, in a real browser', () => {
  let w: WebEnv;
  let server: Listening;
  let browser: Browser | undefined;
  let base = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    w = await webEnv({ config: { baseUrl: base, radius: 25, distanceUnit: 'km' } });
    server = await listen(w.app, '127.0.0.1', port);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  async function open(t: import('node:test').TestContext, path: string): Promise<Page | undefined> {
    browser ??= await launchBrowser(t);
    if (!browser) return undefined;
    const page = await (await browser.newContext({ timezoneId: 'America/New_York' })).newPage();
    await page.goto(base + path);
    return page;
  }

  it('subscribe: an unknown place is refused with the resolver\'s words and the values kept; a known one is stored on confirmation', async (t) => {
    const page = await open(t, '/subscribe');
    if (!page) return;
    assert.equal(await page.inputValue('#radius'), '25', "the list's radius is the first choice");
    assert.deepEqual(await page.locator('#radius option').allTextContents(), ['5 km', '10 km', '25 km', '50 km', '100 km', '250 km', '500 km']);
    await page.fill('#email', 'ola@example.org');
    await page.fill('#location', 'Colombus, OH');
    await page.selectOption('#radius', '100');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Where you are: unknown place');
    assert.match((await page.textContent('body')) ?? '', /Where you are: unknown place 'Colombus, OH'; did you mean Columbus, OH\?/);
    assert.equal(await page.inputValue('#location'), 'Colombus, OH');
    assert.equal(await page.inputValue('#radius'), '100');
    assert.equal(await w.store.subscribers.findByEmail('ola@example.org'), undefined);

    await page.fill('#location', '43215');
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:has-text("Check your inbox")');
    const mail = (await w.mails()).find((m) => m.subject?.startsWith('Confirm'))!;
    await page.goto(linkIn(mail, `${base}/confirm/`));
    await page.click('button:has-text("Confirm my subscription")');
    await page.waitForSelector('h1:has-text("You are subscribed")');
    const s = (await w.store.subscribers.findByEmail('ola@example.org'))!;
    assert.equal(s.location?.name, 'Columbus, OH 43215');
    assert.equal(s.radius, 100);
    await page.context().close();
  });

  it('preferences: the stored place and radius are shown; a new place is resolved, a blank one clears it, a bad one is refused', async (t) => {
    const gaz = await loadGazetteer();
    const berlin = gaz.named('Berlin').find((x) => x.country === 'DE')!;
    const { subscriber } = await w.store.subscribers.add({ email: 'pia@example.org', location: { name: 'Berlin, Germany', lat: berlin.lat, lon: berlin.lon }, radius: 10 }, { source: 'test' });
    const { preferencesUrl } = readerLinks(base, await w.store.meta.linkSecret(), subscriber.id);
    const page = await open(t, preferencesUrl.slice(base.length));
    if (!page) return;
    assert.equal(await page.inputValue('#location'), 'Berlin, Germany');
    assert.equal(await page.inputValue('#radius'), '10');
    await page.fill('#location', 'Springfield, Germany');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Where you are: unknown place');
    assert.equal((await w.store.subscribers.get(subscriber.id))!.location?.name, 'Berlin, Germany');

    await page.fill('#location', 'Paris, France');
    await page.selectOption('#radius', '50');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Saved.');
    assert.equal(await page.inputValue('#location'), 'Paris, France');
    let s = (await w.store.subscribers.get(subscriber.id))!;
    assert.deepEqual([s.location?.name, s.radius], ['Paris, France', 50]);

    await page.fill('#location', '');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Saved.');
    s = (await w.store.subscribers.get(subscriber.id))!;
    assert.equal(s.location, null);
    await page.context().close();
  });
});
