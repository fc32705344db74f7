// Debian's Chromium through playwright-core, launched the one way this project allows (never a downloaded browser).
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless Chromium, or undefined after marking the test skipped with a printed notice when the
 * machine has none. Under CI a missing browser is a failure, never a skip.
 */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    const notice = `browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    process.stderr.write(`NOTICE: ${notice}\n`);
    t.skip(notice);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
