/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../package/run-node.js';

/** Debian's Chromium (installed by .ci/run when missing), with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const SCREENSHOTS = join(ROOT, 'test-results/e2e');

/** Saves a screenshot of every open page, named after the failed test. */
export async function screenshotAll(contexts: BrowserContext[], testName: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const safe = testName.replace(/[^\w-]+/g, '_').slice(0, 80);
  let i = 0;
  for (const context of contexts)
    for (const page of context.pages()) await page.screenshot({ path: join(SCREENSHOTS, `${safe}-${i++}.png`) }).catch(() => undefined);
}

/** The widget's panel text (what a person sees in it). */
export function widgetText(page: Page): Promise<string> {
  return page.evaluate(() => document.getElementById('ph-conversations-widget-container')?.innerText ?? '');
}

const MESSAGE_BOX = 'textarea[placeholder="Type your message..."]';

/**
 * Opens the widget's panel (it may already be open: the widget remembers that across reloads) and
 * waits for `ready`: the message box, or the email field when the project asks for an email first.
 */
export async function openWidget(page: Page, ready = MESSAGE_BOX): Promise<void> {
  // A fresh browser loads posthog-js, remote config and flags first: on a loaded machine that took over 15 s once.
  await page.waitForSelector(`${ready}, button[aria-label="Open chat"]`, { timeout: 30_000 });
  // A locator click retries if the widget re-renders its launcher meanwhile.
  if ((await page.$(ready)) === null) await page.locator('button[aria-label="Open chat"]').click();
  await page.waitForSelector(ready, { timeout: 15_000 });
}

export async function sendInWidget(page: Page, text: string): Promise<void> {
  await page.fill(MESSAGE_BOX, text);
  await page.click('button[aria-label="Send message"]');
  await page.waitForFunction((t) => document.getElementById('ph-conversations-widget-container')?.innerText.includes(t), text, {
    timeout: 15_000,
  });
}
