// A single-file ESM bundle, as for AWS Lambda (esbuild, platform node, format esm): undici is
// CommonJS and requires Node's built-ins, which an ESM bundle can only do with a `require` of its
// own, so the recipe in docs/runtimes.md adds one in a banner. Built here from dist/ and run against the emulator.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEFAULTS as D, startEmulator } from '../../src/testing/index.js';
import { ROOT } from './run-node.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'posthog-conversations-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const APP = `import { createClient } from 'posthog-conversations';
const client = createClient({ host: process.env.POSTHOG_HOST, publicToken: process.env.POSTHOG_WIDGET_TOKEN, retry: false });
const page = await client.widget.listTickets({ widgetSessionId: '0191a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
console.log(JSON.stringify(page));
await client.close();`;
/** The banner the README gives for an ESM bundle. */
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

async function bundle(name: string, banner: string | undefined): Promise<string> {
  const outfile = join(out, `${name}.mjs`);
  await build({
    stdin: { contents: APP, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    ...(banner === undefined ? {} : { banner: { js: banner } }),
  });
  return outfile;
}

describe('a single-file ESM bundle of createClient (esbuild, as for AWS Lambda)', () => {
  it('loads and calls the API with the README banner', async () => {
    const emulator = await startEmulator();
    try {
      const file = await bundle('with-banner', BANNER);
      const { stdout } = await run(process.execPath, [file], {
        env: { PATH: process.env.PATH ?? '', POSTHOG_HOST: emulator.url, POSTHOG_WIDGET_TOKEN: D.publicToken },
      });
      expect(JSON.parse(stdout)).toEqual({ count: 0, results: [] });
    } finally {
      await emulator.close();
    }
  });

  it('uses the banner docs/runtimes.md gives', () => {
    expect(readFileSync(join(ROOT, 'docs/runtimes.md'), 'utf8').replace(/\n/g, ' ')).toContain(`\`${BANNER}\``);
  });

  it('needs the banner: without it, loading fails on a dynamic require of a Node built-in', async () => {
    const file = await bundle('without-banner', undefined);
    await expect(run(process.execPath, [file], { env: { PATH: process.env.PATH ?? '' } })).rejects.toThrow(/Dynamic require of "node:/);
  });
});
