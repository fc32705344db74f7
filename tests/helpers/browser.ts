// Debian's Chromium through playwright-core, launched the one way this project allows (never a downloaded browser).
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Every launch, navigation and wait may take this long: Playwright's 30 s is too short on a busy 2-core machine. */
export const PATIENT_MS = 180_000;

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
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: PATIENT_MS,
  });
  // browser.newPage goes through newContext too, so every page of every test gets the patient default.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(PATIENT_MS);
    context.setDefaultNavigationTimeout(PATIENT_MS);
    return context;
  };
  return browser;
}
