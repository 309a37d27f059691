/// <reference lib="dom" />
// PostHog's real browser widget (posthog-js) in Chromium, against the Express example and its
// embedded emulator: what identity verification is for, end to end.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../examples/run-example.js';
import { launchChromium, openWidget, screenshotAll, sendInWidget, widgetText } from './browser.js';

let app: Awaited<ReturnType<typeof startExample>>;
let browser: Browser;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([startExample(['examples/express/server.mjs'], {}, { ready: /Against the embedded emulator/ }), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await screenshotAll(contexts, context.task.name);
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

/** A fresh browser (its own storage), on the example's home page, logged in as `user` if given. */
async function visit(user?: 'Ada' | 'Grace'): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(app.url);
  if (user) await page.click(`text=Log in as ${user}`);
  await page.waitForSelector('#who');
  return page;
}

function conversationResponses(page: Page): Response[] {
  const seen: Response[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/conversations/')) seen.push(response);
  });
  return seen;
}

describe('the real widget with a verified identity', () => {
  it('1. the same user in two separate browsers sees the same ticket and messages', async () => {
    const laptop = await visit('Ada');
    await openWidget(laptop);
    await sendInWidget(laptop, 'Hello from my laptop');
    const phone = await visit('Ada');
    await openWidget(phone);
    await phone.waitForFunction(() => document.getElementById('ph-conversations-widget-container')?.innerText.includes('Hello from my laptop'), undefined, { timeout: 15_000 });
    expect(await widgetText(phone)).toContain('Hello from my laptop');
  });

  it('2. a different user does not see them', async () => {
    const ada = await visit('Ada');
    await openWidget(ada);
    await sendInWidget(ada, 'Only for Ada');
    const grace = await visit('Grace');
    const responses = conversationResponses(grace);
    await openWidget(grace);
    await grace.waitForTimeout(1000);
    expect(await widgetText(grace)).not.toContain('Only for Ada');
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(bodies.join('\n')).not.toContain('Only for Ada');
  });

  it('4. a tampered hash gets 403 from the server and no ticket leaks', async () => {
    const ada = await visit('Ada');
    await openWidget(ada);
    await sendInWidget(ada, 'Secret of Ada');
    const attacker = await visit();
    const responses = conversationResponses(attacker);
    await attacker.evaluate(() => (window as unknown as { posthog: { setIdentity(id: string, hash: string): void } }).posthog.setIdentity('user_ada', '0'.repeat(64)));
    await openWidget(attacker);
    await attacker.waitForTimeout(1500);
    const withIdentity = responses.filter((r) => r.url().includes('identity_distinct_id=user_ada') || r.request().postData()?.includes('user_ada'));
    expect(withIdentity.length).toBeGreaterThan(0);
    for (const response of withIdentity) expect(response.status()).toBe(403);
    expect(await widgetText(attacker)).not.toContain('Secret of Ada');
  });

  it('5. logout calls clearIdentity and the widget falls back to the anonymous session', async () => {
    const page = await visit('Ada');
    await openWidget(page);
    await sendInWidget(page, 'Before logout');
    const responses = conversationResponses(page);
    await page.click('#spa-logout');
    await page.waitForSelector('text=Logged out');
    await page.reload();
    await openWidget(page);
    await page.waitForTimeout(1000);
    expect(await widgetText(page)).not.toContain('Before logout');
    const urls = responses.map((r) => r.url()).filter((u) => u.includes('/widget/tickets'));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toContain('widget_session_id=');
      expect(url).not.toContain('identity_hash=');
    }
  });
});
