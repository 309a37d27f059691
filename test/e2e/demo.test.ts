/// <reference lib="dom" />
// The demo (`npm run demo`) end to end in Chromium, both sides of a conversation: Ada writes in
// PostHog's real widget, the team answers from the support inbox, the answer reaches Ada's widget
// in a second browser, and "What the SDK did" shows the signed identity, the widget's requests and
// the webhook deliveries the app verified. Screenshots of each view go to test-results/demo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { startExample } from '../examples/run-example.js';
import { ROOT } from '../package/run-node.js';
import { launchChromium, openWidget, sendInWidget, widgetText } from './browser.js';

const SHOTS = join(ROOT, 'test-results/demo');
let app: Awaited<ReturnType<typeof startExample>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [app, browser] = await Promise.all([
    startExample(['examples/express/server.mjs'], {}, { ready: /Against the embedded emulator/ }),
    launchChromium(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await app?.stop();
});

/** A fresh browser (its own storage and cookies), 1280x800. */
async function newBrowserPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

async function logInAs(page: Page, user: 'Ada' | 'Grace'): Promise<void> {
  await page.goto(app.url);
  await page.click(`form[action="/login"] button:has-text("Log in as ${user}")`);
  await page.waitForSelector('text=Logged in as');
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the demo: both sides of a conversation', () => {
  let laptop: Page;
  let inbox: Page;

  it('your app: Ada logs in, the page shows what was signed for it, and she writes in the widget', async () => {
    laptop = await newBrowserPage();
    await logInAs(laptop, 'Ada');
    const signed = await laptop.textContent('dl.fields');
    expect(signed).toContain(computeIdentityHash('user_ada', EMULATOR_DEFAULTS.secretApiToken));
    expect(signed).toContain('ada@example.com');
    await openWidget(laptop);
    await sendInWidget(laptop, 'My order has not arrived');
    await shot(laptop, '1-your-app');
  }, 60_000);

  it('support inbox: the ticket is there; the team replies and sets it pending', async () => {
    inbox = await newBrowserPage();
    await inbox.goto(`${app.url}/inbox`);
    const ticket = inbox.locator('#tickets li[data-id]', { hasText: 'My order has not arrived' });
    await ticket.waitFor({ timeout: 15_000 });
    await ticket.click();
    await inbox.waitForSelector('#messages li.customer');
    expect(await inbox.textContent('#messages')).toContain('My order has not arrived');
    await inbox.fill('#reply textarea', 'Sorry about that, Ada: it ships today.');
    await inbox.click('#reply button');
    await inbox.waitForSelector('#messages li.team');
    await inbox.click('#statuses button[data-status="pending"]');
    await inbox.waitForSelector('#statuses button.current[data-status="pending"]');
    await shot(inbox, '2-support-inbox');
  }, 60_000);

  it("the answer reaches Ada's widget in a second browser", async () => {
    const phone = await newBrowserPage();
    await logInAs(phone, 'Ada');
    await openWidget(phone);
    await phone.waitForFunction(
      () => document.getElementById('ph-conversations-widget-container')?.innerText.includes('it ships today'),
      undefined,
      { timeout: 20_000 },
    );
    expect(await widgetText(phone)).toContain('My order has not arrived');
    await shot(phone, '3-second-browser');
  }, 60_000);

  it('what the SDK did: the signed identity, the widget requests with their status, the verified deliveries', async () => {
    await laptop.click('a.tab:has-text("What the SDK did")');
    await laptop.waitForSelector('#deliveries tbody tr:has-text("$conversation_message_sent")', { timeout: 15_000 });
    expect(await laptop.textContent('#signed')).toContain(computeIdentityHash('user_ada', EMULATOR_DEFAULTS.secretApiToken));
    const deliveries = await laptop.textContent('#deliveries');
    expect(deliveries).toContain('$conversation_ticket_created');
    expect(deliveries).toContain('$conversation_ticket_status_changed');
    expect(await laptop.textContent('#requests')).toMatch(/POST \/api\/conversations\/v1\/widget\/message\s*200/);
    await shot(laptop, '4-what-the-sdk-did');
  }, 60_000);
});
