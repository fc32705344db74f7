// The digest in a real browser: the seed week and a 40-event calendar at desktop and phone widths, light and
// dark, and with the <style> block removed as some clients do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../helpers/browser.ts';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { renderVariant } from '../../src/render/digest.ts';
import { fortyEvents, reader, SETTINGS, ZONE } from '../../bench/fixtures.ts';
import { render, seedEvents } from '../helpers/render.ts';

const TITLES = ['#NoLameDuck Uprising: Stop the TPP', 'RE-volv Webinar: Solar in Your Community Challenge', 'Blueprint for a Great Democracy', 'Future of Left and Independent Politics Network'];

test('the seed week renders at 600, 360 and 320 px without horizontal overflow, every title visible', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const { html } = await render(seedEvents(), { zone: 'America/New_York' });
    const dir = join(tmpdir(), `ed-browser-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'digest.html');
    writeFileSync(file, html);
    // Screenshots are kept in docs/ (the README shows them) when asked, and in the temp dir always.
    const shots = process.env.UPDATE_SCREENSHOTS ? 'docs' : dir;
    for (const width of [600, 360, 320]) {
      for (const scheme of width === 320 ? (['light'] as const) : (['light', 'dark'] as const)) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
        await page.goto(pathToFileURL(file).href);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        assert.ok(scrollWidth <= innerWidth, `${width}px ${scheme}: page is ${scrollWidth}px wide`);
        for (const title of TITLES) {
          // Headings and list items: the hidden preheader repeats the titles, so plain text matching would find it first.
          const el = page.locator('h3, li', { hasText: title }).first();
          assert.ok(await el.isVisible(), `${title} visible at ${width}px`);
          const box = await el.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `${title} inside the ${width}px viewport`);
        }
        if (scheme === 'dark') {
          const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.card') as Element).backgroundColor);
          assert.equal(bg, 'rgb(22, 27, 34)', 'dark card background');
        }
        await page.screenshot({ path: join(shots, `digest-${width}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
});

/** The 40-event calendar of the bench (three 150-character links each), as the default reader gets it. */
async function forty() {
  const selection = selectWindow(fortyEvents(), windowFor('2016-11-28', 3, ZONE), { kinds: ['conference'], months: 6 });
  return (await renderVariant(selection, { zone: ZONE, kinds: [] }, SETTINGS)).html(reader(1));
}

const RGB_BRAND = 'rgb(11, 87, 208)';

test('without the <style> block (the Gmail app on other accounts, corporate gateways) buttons, date lines and link separators still read right', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const html = (await forty()).replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '');
    assert.doesNotMatch(html, /<style/);
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    await page.setContent(html);
    const buttons = await page.$$eval('table.btn td', (cells) =>
      cells.map((td) => {
        const a = td.querySelector('a') as HTMLElement;
        const cs = getComputedStyle(td);
        return { bg: cs.backgroundColor, pad: cs.paddingLeft, color: getComputedStyle(a).color, weight: getComputedStyle(a).fontWeight, text: a.textContent };
      }),
    );
    assert.ok(buttons.length >= 30, `${buttons.length} buttons`);
    for (const b of buttons) assert.deepEqual({ bg: b.bg, pad: b.pad, color: b.color, weight: b.weight }, { bg: RGB_BRAND, pad: '16px', color: 'rgb(255, 255, 255)', weight: '700' }, b.text ?? '');
    // The other links: separated, never run together ("RSVPShare on social mediaEmail the organizer").
    const seen = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(seen, /RSVPShare|RegisterShare|mediaEmail/);
    assert.match(seen, /Share on social media · Email the organizer/);
    assert.match(seen, /Add to calendar: Google · Outlook · \.ics/);
    // The date line is bold dark text, and each section has its coloured rule, from inline styles alone.
    const date = await page.$eval('p.d strong', (s) => ({ weight: getComputedStyle(s).fontWeight, color: getComputedStyle(s).color }));
    assert.equal(date.weight, '700');
    const rule = await page.$eval('h2[id^="s-"]', (h) => getComputedStyle(h).borderTopColor);
    assert.equal(rule, RGB_BRAND);
    // The footer with the unsubscribe link is there, inside the mail.
    assert.match(seen, /Unsubscribe from Movement Digest/);
    await page.close();
  } finally {
    await browser.close();
  }
});

test('the 40-event calendar at 600 and 360 px, light and dark: no overflow, every shown entry visible, under 90 KB with its footer', async (t) => {
  const html = await forty();
  const bytes = Buffer.byteLength(html);
  assert.ok(bytes < 90 * 1024, `${bytes} bytes`);
  assert.ok(html.includes(`href="${reader(1).unsubscribeUrl}"`), 'the unsubscribe link is inside the HTML');
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const dir = join(tmpdir(), `ed-browser-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const shots = process.env.UPDATE_SCREENSHOTS ? 'docs' : dir;
    for (const width of [600, 360]) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width, height: 1600 }, colorScheme: scheme });
        await page.setContent(html);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        assert.ok(scrollWidth <= innerWidth, `${width}px ${scheme}: page is ${scrollWidth}px wide`);
        const outside = await page.$$eval('h3, table.btn', (els, w) => els.filter((e) => e.getBoundingClientRect().right > w + 1).map((e) => e.textContent), width);
        assert.deepEqual(outside, [], `${width}px ${scheme}`);
        // The top of the mail: the glance and the first entries (the whole page runs to many screens).
        await page.screenshot({ path: join(shots, `digest-40-${width}${scheme === 'dark' ? '-dark' : ''}.png`), clip: { x: 0, y: 0, width, height: 1600 } });
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
});

test('an Arabic title reads right to left in Chromium ("#29" stays at its end), an English one left to right', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const arabic = { ...fortyEvents()[0], id: 'ar', title: 'اجتماع المستأجرين #29', description: 'نلتقي في القاعة', featured: true };
    const selection = selectWindow([arabic, fortyEvents()[1]], windowFor('2016-11-28', 3, ZONE), { kinds: [], months: 0 });
    const html = (await renderVariant(selection, { zone: ZONE, kinds: [] }, SETTINGS)).html(reader(1));
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    await page.setContent(html);
    const dirs = await page.$$eval('h3', (hs) => hs.map((h) => [h.textContent, getComputedStyle(h.querySelector('a') as Element).direction]));
    assert.deepEqual(dirs, [
      ['اجتماع المستأجرين #29', 'rtl'],
      [fortyEvents()[1].title, 'ltr'],
    ]);
    await page.close();
  } finally {
    await browser.close();
  }
});
