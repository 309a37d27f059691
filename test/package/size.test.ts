// A size budget: what each entry adds to an app's bundle, built from dist/ through the exports
// map by esbuild (minified, gzipped), as Node and as the edge runtimes' bundlers resolve it.
// Every export of the entry counts, so the number is what an app importing all of it pays.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-node.js';

const NODE: string[] = [];
const EDGE_LIGHT = ['edge-light'];
const WRANGLER = ['workerd', 'worker', 'browser'];

/**
 * Budgets in KiB, min+gz. The edge build of /identity carries the audited @noble/hashes HMAC-SHA256 (2.6 KiB of it).
 * /hono went from 12 to 13 with the receivers' pre-read body rule, the typed events' problem reports and the
 * init script's graceful failure (12.1 KiB measured). The root on the edge holds the API clients since they run
 * on fetch there: 55 KiB measured, two thirds of it zod's schemas. /hono went from 13 to 15 with the widget
 * proxy (14.3 KiB measured).
 */
const BUDGETS: [entry: string, conditions: string[], kib: number][] = [
  ['posthog-conversations/identity', NODE, 5],
  ['posthog-conversations/identity', EDGE_LIGHT, 7],
  ['posthog-conversations/identity', WRANGLER, 7],
  ['posthog-conversations/webhooks', EDGE_LIGHT, 10], // 9.8 measured with the idempotency gate and its memory and Redis stores (7.9 before)
  ['posthog-conversations/hono', WRANGLER, 16], // 15.6 measured: the receiver's idempotency gate (0.6)
  ['posthog-conversations/proxy', WRANGLER, 11], // 10.0 measured: the signer (@noble/hashes) and the proxy core
  ['posthog-conversations', EDGE_LIGHT, 58],
];

/**
 * What an app that imports only `createClient` bundles, minified, in KB: on the edge our clients and
 * zod's schemas (144 KB measured, 99 KB of it zod, imported as a namespace so a bundler can drop
 * what is unused; classic zod still keeps every string format, which zod/mini would not); on Node
 * also undici (about 520 KB), which Node's own fetch does not expose.
 */
const CLIENT_BUDGETS: [platform: 'neutral' | 'node', conditions: string[], kb: number][] = [
  ['neutral', EDGE_LIGHT, 150],
  ['neutral', WRANGLER, 150],
  ['node', NODE, 700],
];

async function bundledSize(entry: string, conditions: string[]): Promise<number> {
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: conditions.length === 0 ? 'node' : 'neutral',
    conditions,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length / 1024;
}

describe('size budget (min+gz)', () => {
  it.each(BUDGETS)('%s under [%s] stays within %d KiB', async (entry, conditions, kib) => {
    const size = await bundledSize(entry, conditions);
    console.log(`size: ${entry} [${conditions.join(', ') || 'node'}] ${size.toFixed(2)} KiB min+gz (budget ${kib} KiB)`);
    expect(size).toBeLessThanOrEqual(kib);
  });

  it.each(CLIENT_BUDGETS)('createClient alone, bundled for %s [%s], stays within %d KB minified', async (platform, conditions, kb) => {
    const result = await build({
      stdin: { contents: `export { createClient } from 'posthog-conversations';`, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform,
      conditions,
      logLevel: 'silent',
    });
    const size = result.outputFiles[0]!.contents.length / 1000;
    console.log(`size: createClient [${conditions.join(', ') || 'node'}] ${size.toFixed(1)} KB minified (budget ${kb} KB)`);
    expect(size).toBeLessThanOrEqual(kb);
  });

  it('keeps a schema library out of webhook verification on the edge', async () => {
    const result = await build({
      stdin: { contents: `export * from 'posthog-conversations/webhooks';`, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: EDGE_LIGHT,
      metafile: true,
      logLevel: 'silent',
    });
    expect(Object.keys(result.metafile.inputs).filter((file) => file.includes('node_modules/zod'))).toEqual([]);
  });
});
