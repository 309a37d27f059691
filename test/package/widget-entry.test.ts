// posthog-conversations/widget as browsers and React Native get it: bundled from dist/ by esbuild
// with their conditions, it holds no signing code and no node: import, and in a real Chromium page
// it talks to the emulator across origins (CORS), as a custom chat UI would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/identity/index.js';
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../src/testing/index.js';
import { launchChromium } from '../e2e/browser.js';
import { ROOT } from './run-node.js';

const APP = `import { createWidgetClient, NotFoundError } from 'posthog-conversations/widget';
window.run = async (host, publicToken, identity) => {
  const widget = createWidgetClient({ host, publicToken, retry: false });
  const { ticket_id } = await widget.sendMessage({ identity, message: 'from the browser' });
  const page = await widget.listTickets({ identity });
  const missing = await widget.getMessages('0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', { identity }).catch((e) => e instanceof NotFoundError);
  return { same: page.results[0]?.id === ticket_id, count: page.count, missing };
};`;

async function bundle(conditions: string[], platform: 'browser' | 'neutral') {
  const result = await build({
    stdin: { contents: APP, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform,
    conditions,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe.each([
  ['a browser', ['browser'], 'browser'],
  ['React Native (Metro resolves react-native, then browser)', ['react-native', 'browser'], 'neutral'],
] as const)('posthog-conversations/widget bundled for %s', (_, conditions, platform) => {
  it('builds, with no signing code, no secret-holding client and no node: import', async () => {
    const { code, inputs } = await bundle([...conditions], platform);
    expect(inputs.filter((file) => /@noble|undici/.test(file))).toEqual([]);
    expect(code).not.toMatch(/["']node:|require\(["']/);
    // Neither the external ticket API (Secret API key) nor the personal-key APIs.
    expect(code).not.toMatch(/conversations\/external|personal_api_keys/);
    // SHA-256's first round constant, in any form a minifier leaves it: no hash function is in the bundle.
    expect(code).not.toMatch(/1116352408|0x428a2f98/i);
    expect(code.length / 1000).toBeLessThan(130); // KB minified: the widget client and the zod schemas it needs
  });
});

describe('posthog-conversations/widget in a real Chromium page', () => {
  let emulator: Emulator;
  let server: ReturnType<typeof createServer>;
  let page: string;
  beforeAll(async () => {
    emulator = await startEmulator({ throttles: false });
    const { code } = await bundle(['browser'], 'browser');
    server = createServer((req, res) => {
      if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/app.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    page = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await emulator?.close();
  });

  it('sends, lists and reads from another origin with the public token and a server-signed identity', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(page);
      const identity = { identity_distinct_id: 'user_browser', identity_hash: computeIdentityHash('user_browser', D.secretApiToken) };
      const result = await tab.evaluate(
        ([host, token, id]) => (window as unknown as { run: (...a: unknown[]) => Promise<unknown> }).run(host, token, id),
        [emulator.url, D.publicToken, identity] as const,
      );
      expect(result).toEqual({ same: true, count: 1, missing: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
