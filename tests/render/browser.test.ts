// The seed week's digest in a real browser at desktop and phone widths: nothing overflows, every title shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../helpers/browser.ts';
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
