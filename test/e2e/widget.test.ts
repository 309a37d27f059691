/// <reference lib="dom" />
// PostHog's real browser widget (posthog-js) in Chromium, against the Express example and its
// embedded emulator: what identity verification is for, end to end.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, identityFor } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { startExample } from '../examples/run-example.js';
import { launchChromium, openWidget, screenshotAll, sendInWidget, widgetText } from './browser.js';

let app: Awaited<ReturnType<typeof startExample>>;
let browser: Browser;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startExample(['examples/express/server.mjs'], {}, { ready: /Against the embedded emulator/ }),
    launchChromium(),
  ]);
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

/** The example's embedded emulator, reached with the SDK as any server would. */
function emulatorClient() {
  const host = /emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(app.output())![1]!;
  return {
    host,
    client: createClient({
      host,
      publicToken: EMULATOR_DEFAULTS.publicToken,
      personalApiKey: EMULATOR_DEFAULTS.personalApiKey,
      projectId: EMULATOR_DEFAULTS.projectId,
    }),
  };
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
    await phone.waitForFunction(
      () => document.getElementById('ph-conversations-widget-container')?.innerText.includes('Hello from my laptop'),
      undefined,
      { timeout: 15_000 },
    );
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

  it('3. a ticket opened before login: the widget in identity mode no longer shows it; identity plus session does', async () => {
    const page = await visit();
    const sent = page.waitForRequest((r) => r.url().endsWith('/widget/message'));
    await openWidget(page);
    await sendInWidget(page, 'Asked before login');
    const sessionId = (JSON.parse((await sent).postData()!) as { widget_session_id: string }).widget_session_id;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const requests: string[] = [];
    page.on('request', (r) => r.url().includes('/widget/tickets') && requests.push(r.url()));
    await page.click('text=Log in as Ada');
    await page.waitForSelector('text=Logged in as');
    await openWidget(page);
    await page.waitForTimeout(1000);
    // What posthog-js 1.449 does: in identity mode it sends only the identity, so the server's
    // session bridge cannot apply, and the pre-login ticket is out of sight.
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) {
      expect(url).toContain('identity_distinct_id=user_ada');
      expect(url).not.toContain('widget_session_id=');
    }
    expect(await widgetText(page)).not.toContain('Asked before login');

    // Sent together, identity and session keep it: what the SDK's widget client does.
    const { client } = emulatorClient();
    try {
      const identity = identityFor('user_ada', { secret: EMULATOR_DEFAULTS.secretApiToken });
      const withSession = await client.widget.listTickets({ identity, widgetSessionId: sessionId });
      expect(withSession.results.map((t) => t.last_message)).toContain('Asked before login');
      const identityOnly = await client.widget.listTickets({ identity });
      expect(identityOnly.results.map((t) => t.last_message)).not.toContain('Asked before login');
    } finally {
      await client.close();
    }
  });

  it('4. a tampered hash gets 403 from the server and no ticket leaks', async () => {
    const ada = await visit('Ada');
    await openWidget(ada);
    await sendInWidget(ada, 'Secret of Ada');
    const attacker = await visit();
    const responses = conversationResponses(attacker);
    await attacker.evaluate(() =>
      (window as unknown as { posthog: { setIdentity(id: string, hash: string): void } }).posthog.setIdentity('user_ada', '0'.repeat(64)),
    );
    await openWidget(attacker);
    await attacker.waitForTimeout(1500);
    const withIdentity = responses.filter(
      (r) => r.url().includes('identity_distinct_id=user_ada') || r.request().postData()?.includes('user_ada'),
    );
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

  it('6. restore by email: the link from the outbox restores the tickets in a fresh browser and leaves the URL clean', async () => {
    const { host, client } = emulatorClient();
    await client.settings.update({ settings: { widget_require_email: true } }); // the widget asks for an email first
    try {
      const first = await visit();
      await openWidget(first, 'input[type="email"]');
      await first.fill('input[type="email"]', 'lost@example.com');
      await first.click('button:has-text("Start Chat")');
      await sendInWidget(first, 'Asked in a browser I lost');
      await first.click('button:has-text("Recover them here")');
      await first.fill('input[type="email"]', 'lost@example.com');
      const requested = first.waitForResponse((r) => r.url().endsWith('/widget/restore/request'));
      await first.click('button:has-text("Send restore link")');
      expect((await requested).status()).toBe(200);

      const outbox = (await (await fetch(`${host}/_emulator/outbox`)).json()) as Array<{
        template: string;
        to: string[];
        context: { restore_url: string };
      }>;
      const mail = outbox.find((m) => m.template === 'conversation_restore' && m.to.includes('lost@example.com'));
      expect(mail?.context.restore_url).toMatch(new RegExp(`^${app.url}/?\\?ph_conv_restore=[\\w-]{43}$`));

      // The new browser needs no identification form: it gets its tickets back from the link.
      await client.settings.update({ settings: { widget_require_email: false } });
      const fresh = await visit();
      const redeemed = fresh.waitForResponse((r) => r.url().endsWith('/widget/restore'));
      await fresh.goto(mail!.context.restore_url);
      expect(await (await redeemed).json()).toMatchObject({ status: 'success', migrated_ticket_ids: [expect.any(String)] });
      await fresh.waitForFunction(() => !location.search.includes('ph_conv_restore'), undefined, { timeout: 15_000 });
      await openWidget(fresh);
      // The panel opens on a new conversation; the restored ones are in the list behind "Back".
      await fresh.locator('button[aria-label="Back to conversations"]').click();
      await fresh.waitForFunction(
        () => document.getElementById('ph-conversations-widget-container')?.innerText.includes('Asked in a browser I lost'),
        undefined,
        { timeout: 15_000 },
      );
    } finally {
      await client.settings.update({ settings: { widget_require_email: false } });
      await client.close();
    }
  });
});
