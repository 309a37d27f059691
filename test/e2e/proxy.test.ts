/// <reference lib="dom" />
// PostHog's real browser widget (posthog-js) in Chromium, served entirely through the widget proxy
// of an Express app (api_host is the app's own /ingest), PostHog played by the emulator: no hash
// in the page, the identity signed on the server, and a ticket opened before login kept after it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { posthogProxy } from '../../adapters/express/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../src/testing/index.js';
import { type Served, serve } from '../helpers/servers.js';
import { launchChromium, openWidget, screenshotAll, sendInWidget } from './browser.js';

let emulator: Emulator;
let app: Served;
/** A plain server between the proxy and the emulator that records what reaches "PostHog". */
let recorder: Served;
const reachedPostHog: { method: string; url: string; headers: Record<string, string | string[] | undefined> }[] = [];
let browser: Browser;
let contexts: BrowserContext[] = [];

function buildApp() {
  const a = express();
  const userOf = (cookie: string | undefined) => /(?:^|;\s*)sid=(\w+)/.exec(cookie ?? '')?.[1];
  a.use(
    '/ingest',
    posthogProxy({
      secret: D.secretApiToken,
      host: recorder.url,
      assetsHost: recorder.url,
      getDistinctId: (req) => userOf(req.headers.cookie),
    }),
  );
  a.get('/login/:user', (req, res) => res.cookie('sid', req.params.user).redirect('/'));
  a.get('/logout', (_req, res) => res.clearCookie('sid').redirect('/'));
  // The page carries no identity at all: only where PostHog is (this app's own origin).
  a.get('/', (req, res) =>
    res.send(`<!doctype html><html><head><meta charset="utf-8">
<script src="/ingest/static/array.js"></script>
<script>posthog.init(${JSON.stringify(D.projectApiKey)}, { api_host: location.origin + '/ingest' })</script>
</head><body><p id="who">${userOf(req.headers.cookie) ?? 'visitor'}</p></body></html>`),
  );
  return a;
}

beforeAll(async () => {
  emulator = await startEmulator({ throttles: false, teams: [{ settings: { widget_enabled: true } }] });
  recorder = await serve((req, res) => {
    reachedPostHog.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${emulator.url}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        body: chunks.length ? Buffer.concat(chunks) : null,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  [app, browser] = await Promise.all([serve(buildApp()), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await recorder?.close();
  await emulator?.close();
});
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await screenshotAll(contexts, context.task.name);
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

async function browserAt(path = '/'): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${app.url}${path}`);
  return page;
}

/** The bodies of the widget's ticket-list answers on `page`, as they come. */
function ticketLists(page: Page): Promise<string>[] {
  const lists: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/widget/tickets')) lists.push(response.text());
  });
  return lists;
}

describe('the real widget through the proxy', () => {
  it('keeps a ticket opened before login after it (the proxy sends the identity with the widget session)', async () => {
    const laptop = await browserAt();
    const calls: string[] = [];
    laptop.on('request', (request) => calls.push(request.url()));
    await openWidget(laptop);
    await sendInWidget(laptop, 'Asked before login');
    // Every PostHog call went to the app's own origin.
    expect(calls.filter((url) => !url.startsWith(app.url))).toEqual([]);

    await laptop.goto(`${app.url}/login/ada`);
    expect(await laptop.content()).not.toMatch(/identity_hash|identity_distinct_id/);
    await openWidget(laptop);
    await laptop.waitForFunction(
      () => document.getElementById('ph-conversations-widget-container')?.innerText.includes('Asked before login'),
      undefined,
      {
        timeout: 15_000,
      },
    );
    await sendInWidget(laptop, 'Sent after login');
  }, 120_000);

  it("signs every widget call for the logged-in user: on another browser, the widget's ticket list is the user's", async () => {
    const desk = await browserAt('/login/grace');
    await openWidget(desk);
    await sendInWidget(desk, 'From my desk');

    const phone = await browserAt('/login/grace');
    const lists = ticketLists(phone);
    // posthog-js lists no tickets on the very first page load of a new widget session (docs/proxy.md): the next one does.
    await phone.reload();
    await openWidget(phone);
    await expect.poll(async () => (await Promise.all(lists)).join('\n'), { timeout: 15_000 }).toContain('From my desk');
    // Grace's page never held a hash: the proxy signed the list on the server.
    expect(await phone.content()).not.toMatch(/identity_hash/);
  }, 120_000);

  it('shows another user none of them, and sends the widget anonymous after logout', async () => {
    const ada = await browserAt('/login/ada');
    await openWidget(ada);
    await sendInWidget(ada, 'Only for Ada');
    const grace = await browserAt('/login/grace');
    const lists = ticketLists(grace);
    await grace.reload();
    await openWidget(grace);
    await expect.poll(() => lists.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await Promise.all(lists)).join('\n')).not.toContain('Only for Ada');

    await ada.goto(`${app.url}/logout`);
    const from = reachedPostHog.length;
    await ada.reload();
    await openWidget(ada);
    await expect
      .poll(() => reachedPostHog.slice(from).filter((r) => r.url.includes('/widget/')).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    for (const request of reachedPostHog.slice(from).filter((r) => r.url.includes('/widget/')))
      expect(request.url).not.toContain('identity_');
  }, 120_000);

  it("refuses a cross-site POST carrying the user's cookie before it reaches PostHog; no app cookie ever reaches PostHog", async () => {
    // Another origin (same host, another port: the cookie is still sent, as from a sibling subdomain).
    const attacker = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>attacker</p>'));
    try {
      const page = await browserAt('/login/ada');
      await page.goto(attacker.url);
      const before = reachedPostHog.filter((r) => r.method === 'POST' && r.url.includes('/widget/message')).length;
      await page.evaluate(
        async ([target, token]) => {
          await fetch(`${target}/ingest/api/conversations/v1/widget/message`, {
            method: 'POST',
            mode: 'no-cors',
            credentials: 'include',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify({ message: 'forged', widget_session_id: crypto.randomUUID(), token }),
          });
        },
        [app.url, D.publicToken] as const,
      );
      expect(reachedPostHog.filter((r) => r.method === 'POST' && r.url.includes('/widget/message')).length).toBe(before);
    } finally {
      await attacker.close();
    }
    expect(reachedPostHog.length).toBeGreaterThan(0);
    expect(reachedPostHog.filter((r) => String(r.headers.cookie ?? '').includes('sid='))).toEqual([]);
  }, 60_000);
});
