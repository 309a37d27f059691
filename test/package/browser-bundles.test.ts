// Real browser builds with esbuild, Vite and webpack: importing any secret-holding entry of this
// package for a browser fails the build with the reason, so a secret can never ship to users.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './run-node.js';

const ENTRIES = [
  '',
  '/identity',
  '/identity/edge',
  '/webhooks',
  '/proxy',
  '/express',
  '/nestjs',
  '/next',
  '/hono',
  '/fastify',
  '/testing',
].map((sub) => `posthog-conversations${sub}`);
// One real export of each entry, as an app would import it.
const NAMED: Record<string, string> = {
  'posthog-conversations': 'computeIdentityHash',
  'posthog-conversations/identity': 'computeIdentityHash',
  'posthog-conversations/identity/edge': 'identityFor',
  'posthog-conversations/webhooks': 'verifyWebhook',
  'posthog-conversations/proxy': 'createConversationsProxy',
  'posthog-conversations/express': 'posthogIdentity',
  'posthog-conversations/nestjs': 'PostHogConversationsModule',
  'posthog-conversations/next': 'createPostHogIdentity',
  'posthog-conversations/hono': 'posthogIdentity',
  'posthog-conversations/fastify': 'posthogConversations',
  'posthog-conversations/testing': 'startEmulator',
};
const APP = join(ROOT, 'test-results/browser-bundles');

/** The three ways an app's code can pull an entry in: a named import, a namespace, a bare import. */
const SOURCES = (entry: string) => ({
  named: `import { ${NAMED[entry]} } from '${entry}';\nconsole.log(typeof ${NAMED[entry]});\n`,
  namespace: `import * as lib from '${entry}';\nconsole.log(Object.keys(lib).length);\n`,
  bare: `import '${entry}';\nconsole.log('loaded');\n`,
});

type Outcome = { built: false; error: string } | { built: true; code: string };

/** Runs a browser bundle in an empty context, as a page would; the error it throws, or 'ran'. */
function start(code: string): string {
  const logs: unknown[] = [];
  try {
    runInNewContext(code, { console: { log: (...args: unknown[]) => logs.push(args) }, window: {}, self: {} });
    return `ran and logged ${JSON.stringify(logs)}`;
  } catch (error) {
    return String((error as Error)?.message ?? error);
  }
}

const BUNDLERS: Record<string, (file: string, out: string) => Promise<Outcome>> = {
  async esbuild(file) {
    try {
      const result = await esbuild({
        entryPoints: [file],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        write: false,
        logLevel: 'silent',
        absWorkingDir: APP,
      });
      return { built: true, code: result.outputFiles[0]!.text };
    } catch (error) {
      return { built: false, error: String((error as Error).message) };
    }
  },
  async vite(file, out) {
    try {
      const result = await viteBuild({
        configFile: false,
        root: APP,
        logLevel: 'silent',
        build: { write: false, outDir: out, minify: false, lib: { entry: file, formats: ['iife'], name: 'app' } },
      });
      const output = (Array.isArray(result) ? result[0]! : result) as { output: Array<{ type: string; code?: string }> };
      return { built: true, code: output.output.find((o) => o.type === 'chunk')!.code! };
    } catch (error) {
      return { built: false, error: String((error as Error).message) };
    }
  },
  async webpack(file, out) {
    const compiler = webpack({
      mode: 'production',
      target: 'web',
      context: APP,
      entry: file,
      output: { path: out, filename: 'bundle.js' },
      infrastructureLogging: { level: 'none' },
      stats: 'none',
    });
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      compiler.run((error, result) => (error ? reject(error) : resolve(result!))),
    );
    await new Promise((resolve) => compiler.close(resolve));
    if (stats.hasErrors())
      return {
        built: false,
        error: stats
          .toJson({ all: false, errors: true })
          .errors!.map((e) => e.message)
          .join('\n'),
      };
    const { readFileSync } = await import('node:fs');
    return { built: true, code: readFileSync(join(out, 'bundle.js'), 'utf8') };
  },
};

beforeAll(() => {
  rmSync(APP, { recursive: true, force: true });
  mkdirSync(join(APP, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(APP, 'node_modules/posthog-conversations'), 'dir');
  writeFileSync(join(APP, 'package.json'), JSON.stringify({ name: 'browser-app', private: true, type: 'module' }));
});
afterAll(() => rmSync(APP, { recursive: true, force: true }));

describe.each(Object.keys(BUNDLERS))('a browser build with %s', (bundler) => {
  it.each(ENTRIES)(
    'of %s fails the build, naming the reason, however it is imported',
    async (entry) => {
      for (const [how, source] of Object.entries(SOURCES(entry))) {
        const name = `${bundler}-${entry.replace(/\W+/g, '_')}-${how}`;
        const file = join(APP, `${name}.js`);
        writeFileSync(file, source);
        const outcome = await BUNDLERS[bundler]!(file, join(APP, 'out', name));
        const verdict = outcome.built ? start(outcome.code) : `build failed: ${outcome.error}`;
        // The build refuses it, and its error says why: the app's developer sees the reason at build
        // time, not a warning and a bundle that throws in a visitor's browser.
        expect(verdict, `${how} import`).toMatch(/^build failed[\s\S]*must never reach a browser/);
      }
    },
    60_000,
  );
});
