/// <reference lib="dom" />
// The demo end to end in Chromium, started as the README says from a fresh clone (npm ci included)
// with port 3000 already taken: both sides of a conversation (Ada writes in PostHog's real widget,
// the team answers from the support inbox, the answer reaches Ada's widget in a second browser), a
// single-page login, the side-by-side view, the proxy mode, "What the SDK did", and a phone.
// Screenshots of each view go to test-results/demo.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash, TICKET_STATUSES } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { ROOT } from '../package/run-node.js';
import { launchChromium, openWidget, sendInWidget, widgetText } from './browser.js';
import { demoFromFreshClone, occupy, readmeCommands, type RunningDemo } from './fresh-demo.js';

const SHOTS = join(ROOT, 'test-results/demo');
const [DEMO_COMMAND, TEST_COMMAND] = readmeCommands();
const hashOf = (id: string) => computeIdentityHash(id, EMULATOR_DEFAULTS.secretApiToken);
let demo: RunningDemo;
let port3000: Awaited<ReturnType<typeof occupy>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
let starting: [Promise<RunningDemo>, Promise<Browser>] | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  port3000 = await occupy(3000);
  starting = [demoFromFreshClone(DEMO_COMMAND, 300_000), launchChromium()];
  [demo, browser] = await Promise.all(starting);
}, 320_000);
afterAll(async () => {
  // Each started part is stopped, even when the other failed to start.
  const [demoStarting, browserStarting] = starting ?? [];
  await Promise.all(contexts.map((c) => c.close()));
  await browserStarting?.then(
    (b) => b.close(),
    () => undefined,
  );
  await demoStarting?.then(
    (d) => d.stop(),
    () => undefined,
  );
  await port3000?.release();
}, 30_000);

/** A fresh browser (its own storage and cookies); a laptop by default. */
async function newBrowserPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  contexts.push(context);
  return context.newPage();
}

async function logInAs(page: Page, user: 'Ada' | 'Grace'): Promise<void> {
  await page.goto(demo.url);
  await page.click(`form[action="/login"] button:has-text("Log in as ${user}")`);
  await page.waitForSelector('#who:has-text("Logged in as")');
}

/** What a person sees of the page's state: who, which buttons, what was signed. */
const pageState = (page: Page) =>
  page.evaluate(() => ({
    who: document.getElementById('who')!.innerText,
    loginShown: !document.getElementById('login')!.hidden,
    logoutShown: !document.getElementById('logout')!.hidden,
    signed: document.getElementById('signed')!.innerText,
  }));

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe("the README's two commands", () => {
  it('the demo command printed one line about port 3000 before building, then started on a free port', () => {
    expect(DEMO_COMMAND).toBe('npm ci && npm run demo');
    const output = demo.output();
    expect(output).toMatch(/Port 3000 is in use: the demo takes a free port instead \(or set PORT\)\.\nBuilding the package\.\.\. done/);
    expect(demo.url).not.toMatch(/:3000$/);
    expect(output).not.toMatch(/TypeError|\n\s+at /);
  });

  it('the test command is what CI runs in its fresh clone (.ci/run)', () => {
    expect(TEST_COMMAND).toBe('npm ci && npm test');
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b[^\n]*\n[\s\S]*^npm test\b/m);
  });
});

describe('the demo: both sides of a conversation', () => {
  let laptop: Page;
  let inbox: Page;

  it('your app: a visitor sees the login buttons and nothing signed; after a form login, the identity', async () => {
    laptop = await newBrowserPage();
    await laptop.goto(demo.url);
    expect(await pageState(laptop)).toMatchObject({
      loginShown: true,
      logoutShown: false,
      signed: expect.stringMatching(/nothing was signed/),
    });
    await shot(laptop, '1-visitor');
    await logInAs(laptop, 'Ada');
    const state = await pageState(laptop);
    expect(state).toMatchObject({ who: expect.stringContaining('Ada Lovelace (user_ada)'), loginShown: false, logoutShown: true });
    expect(state.signed).toContain(hashOf('user_ada'));
    expect(state.signed).toContain('ada@example.com');
    await openWidget(laptop);
    await sendInWidget(laptop, 'My order has not arrived');
    await shot(laptop, '2-your-app');
  }, 60_000);

  it('a single-page login leaves the page as a full login does: logged in everywhere, the identity shown', async () => {
    const page = await newBrowserPage();
    await page.goto(demo.url);
    await page.click('#spa-login');
    await page.waitForSelector('#who:has-text("without a reload")');
    const state = await pageState(page);
    expect(state).toMatchObject({ who: expect.stringContaining('Ada Lovelace (user_ada)'), loginShown: false, logoutShown: true });
    expect(state.signed).toContain(hashOf('user_ada'));
    expect(state.signed).not.toMatch(/nothing was signed/);
    await shot(page, '3-single-page-login');
    await page.click('#spa-logout');
    await page.waitForSelector('#who:has-text("Not logged in")');
    expect(await pageState(page)).toMatchObject({
      loginShown: true,
      logoutShown: false,
      signed: expect.stringMatching(/nothing was signed/),
    });
  }, 60_000);

  it('support inbox: the customer by name and email, verified, with times; every status; the team replies', async () => {
    inbox = await newBrowserPage();
    await inbox.goto(`${demo.url}/inbox`);
    const ticket = inbox.locator('#tickets li[data-id]', { hasText: 'My order has not arrived' });
    await ticket.waitFor({ timeout: 15_000 });
    const item = await ticket.innerText();
    expect(item).toMatch(/Ada Lovelace <ada@example\.com> user_ada verified/);
    expect(item).toMatch(/1 message · last .+ · opened /);
    await ticket.click();
    await inbox.waitForSelector('#messages li.customer time');
    expect(await inbox.textContent('#thread-customer')).toMatch(/Ada Lovelace <ada@example\.com>/);
    expect(await inbox.$$eval('#statuses button', (buttons) => buttons.map((b) => (b as HTMLElement).dataset.status))).toEqual([
      ...TICKET_STATUSES,
    ]);
    await inbox.fill('#reply textarea', 'Sorry about that, Ada: it ships today.');
    await inbox.click('#reply button');
    await inbox.waitForSelector('#messages li.team');
    await inbox.locator('#tickets li[data-id]', { hasText: '2 messages' }).waitFor();
    await inbox.click('#statuses button[data-status="pending"]');
    await inbox.waitForSelector('#statuses button.current[data-status="pending"]');
    await shot(inbox, '4-support-inbox');
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
    await shot(phone, '5-second-browser');
  }, 60_000);

  it("side by side: the user's page with the widget and the inbox in one view, without their own tabs", async () => {
    const page = await newBrowserPage({ width: 1440, height: 900 });
    await logInAs(page, 'Ada');
    await page.goto(`${demo.url}/both`);
    const app = page.frameLocator('#app-frame');
    const support = page.frameLocator('#inbox-frame');
    await app.locator('#who:has-text("Ada Lovelace")').waitFor();
    await support.locator('#tickets li[data-id]', { hasText: 'it ships today' }).waitFor({ timeout: 15_000 });
    await app.locator('button[aria-label="Open chat"], textarea[placeholder="Type your message..."]').first().waitFor({ timeout: 30_000 });
    expect(await app.locator('header').isVisible()).toBe(false);
    expect(await page.locator('header').isVisible()).toBe(true);
    await shot(page, '6-side-by-side');
  }, 60_000);

  it("proxy mode: no hash in the page, this app's /ingest signs Grace's widget calls, the inbox sees her verified", async () => {
    const page = await newBrowserPage();
    await logInAs(page, 'Grace');
    await page.click('form[action="/mode"] button[value="proxy"]');
    await page.waitForSelector('#signed:has-text("proxy mode")');
    const html = await (await page.request.get(demo.url)).text();
    expect(html).not.toContain(hashOf('user_grace'));
    expect(html).toMatch(/"api_host":"http:\/\/127\.0\.0\.1:\d+\/ingest"/);
    await openWidget(page);
    await sendInWidget(page, 'Through the proxy, please');
    await shot(page, '7-proxy-mode');
    await inbox.locator('#tickets li[data-id]', { hasText: 'Through the proxy' }).waitFor({ timeout: 15_000 });
    expect(await inbox.locator('#tickets li[data-id]', { hasText: 'Through the proxy' }).innerText()).toMatch(
      /Grace Hopper <grace@example\.com> user_grace verified/,
    );
  }, 60_000);

  it('what the SDK did: the signed identity, the requests grouped by caller with polls folded, the verified deliveries', async () => {
    await laptop.click('a.tab:has-text("What the SDK did")');
    await laptop.waitForSelector('#deliveries tbody tr:has-text("$conversation_message_sent")', { timeout: 15_000 });
    expect(await laptop.textContent('#signed')).toContain(hashOf('user_ada'));
    const deliveries = await laptop.textContent('#deliveries');
    expect(deliveries).toContain('$conversation_ticket_created');
    expect(deliveries).toContain('$conversation_ticket_status_changed');
    const callers = await laptop.$$eval('#requests .caller h3', (h) => h.map((e) => e.textContent));
    expect(callers).toContain('identity user_ada');
    // Grace's calls went through the proxy: her identity, with the browser's session beside it.
    expect(callers.some((c) => /^identity user_grace \(with browser session \w{8}…\)$/.test(c ?? ''))).toBe(true);
    const ada = laptop.locator('#requests .caller', { has: laptop.locator('h3', { hasText: /^identity user_ada$/ }) });
    expect(await ada.innerText()).toMatch(/POST \/api\/conversations\/v1\/widget\/message\s+200/);
    // The widget polls while open: repeated calls are one line with a count.
    await ada
      .locator('td.times', { hasText: /^×\d+$/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot(laptop, '8-what-the-sdk-did');
  }, 60_000);

  it.each(['/', '/inbox', '/both', '/sdk'])(
    'on a phone, %s keeps its header on one line and fits the width',
    async (path) => {
      const phone = await newBrowserPage({ width: 390, height: 844 });
      await phone.goto(`${demo.url}${path}`);
      await phone.waitForLoadState('load');
      const layout = await phone.evaluate(() => ({
        header: document.querySelector('header')!.getBoundingClientRect().height,
        tab: document.querySelector('.tab')!.getBoundingClientRect().height,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      expect(layout.header).toBeLessThan(layout.tab * 2);
      expect(layout.overflow).toBeLessThanOrEqual(0);
      await shot(phone, `9-phone${path === '/' ? '-app' : path.replace('/', '-')}`);
    },
    60_000,
  );
});
