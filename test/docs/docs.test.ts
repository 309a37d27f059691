// Every code block of the README and docs/ runs as written: each carries a marker saying how, and
// this suite (or the test it names) runs it. A block without one fails here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posthogWebhook } from '../../adapters/express/index.js';
import { type CliEmulator, startCliEmulator } from '../helpers/cli-emulator.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';
import { serve, type Served } from '../helpers/servers.js';
import { ROOT } from '../package/run-node.js';
import { readmeCommands } from '../e2e/fresh-demo.js';
import { type Block, blocksOf, DOCUMENTS } from './blocks.js';
import { moduleFile, npxShim, promisedOutput, run, runUntil, type RunEnv } from './runners.js';

const blocks = DOCUMENTS.flatMap(blocksOf);
const where = (b: Block) => `${b.doc}:${b.line}`;
const runBlocks = blocks.filter((b) => b.marker?.kind === 'run');
const fileBlocks = blocks.filter((b) => b.marker?.kind === 'file');

/** Every test file's text (but this suite's, which names every example), to find the one that runs an example. */
function testSources(dir = join(ROOT, 'test')): string {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !['node_modules', '__snapshots__'].includes(e.name) && join(dir, e.name) !== join(ROOT, 'test/docs'))
    .map((e) =>
      e.isDirectory() ? testSources(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? readFileSync(join(dir, e.name), 'utf8') : '',
    )
    .join('\n');
}

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('fits in 300 lines and opens with its contents', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    const contents = /^\*\*Contents\*\*: ([\s\S]*?)\n\n/m.exec(readme)?.[1] ?? '';
    const anchors = [...contents.matchAll(/\]\(#([\w-]+)\)/g)].map(([, a]) => a!);
    const headings = [...readme.matchAll(/^#{2,3} (?:\[(.+?)\]\(.*?\)|(.+))$/gm)].map(([, linked, plain]) =>
      (linked ?? plain)!
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s+/g, '-'),
    );
    expect(anchors.length).toBeGreaterThan(10);
    for (const anchor of anchors) expect(headings, anchor).toContain(anchor);
  });

  it('links only to files that exist', () => {
    for (const doc of DOCUMENTS) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      const base = doc.includes('/') ? join(ROOT, 'docs') : ROOT;
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[\w-]+)?\)/g))
        expect(existsSync(join(base, target!)), `${doc} links to ${target}`).toBe(true);
    }
  });
});

describe('every code block', () => {
  it('says how a test runs it (a file of the repository, or a runner)', () => {
    expect(blocks.filter((b) => b.marker === undefined).map(where)).toEqual([]);
    expect(blocks.length).toBeGreaterThan(20);
  });

  const tests = testSources();
  it.each(fileBlocks.map((b) => [where(b), b] as const))('%s is its file, which a test runs', (_, block) => {
    const { path } = block.marker as { path: string };
    expect(block.code).toBe(readFileSync(join(ROOT, path), 'utf8'));
    // Named by a test, or part of an example app a test starts (its folder named).
    const folder = path.split('/').slice(0, 2).join('/');
    expect(tests.includes(path) || tests.includes(`${folder}/`), `no test runs ${path}`).toBe(true);
  });
});

describe('the blocks that run', () => {
  let emulator: CliEmulator;
  let redis: RedisServer;
  let receiver: Served;
  let env: RunEnv;

  beforeAll(async () => {
    // The emulator as a reader starts it, from a shell; the blocks get the settings it prints.
    emulator = await startCliEmulator();
    const { settings } = emulator;
    redis = await startRedis();
    // A receiver for `trigger`, verifying with the printed secret.
    const app = express();
    app.post('/webhooks/posthog', posthogWebhook({ secret: settings.POSTHOG_WEBHOOK_SECRET!, onDelivery: () => undefined }));
    receiver = await serve(app);
    env = {
      PATH: `${npxShim()}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? ROOT,
      ...settings,
      REDIS_URL: redis.url,
      APP_URL: receiver.url,
    };
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
    await redis?.stop();
    await receiver?.close();
  });

  const byRunner = (runner: string) => runBlocks.filter((b) => b.marker?.kind === 'run' && b.marker.runner === runner);
  const args = (b: Block) => (b.marker as { args: string }).args;
  const failed = (b: Block, outcome: { code: number | null; stdout: string; stderr: string }) =>
    `${where(b)} exited ${outcome.code}:\n${outcome.stdout}\n${outcome.stderr}`;

  it.each(byRunner('node').map((b) => [`${where(b)}${args(b) ? ` (${args(b)})` : ''}`, b] as const))(
    'the Node.js module at %s runs and prints what its comments say',
    async (_, block) => {
      const file = moduleFile(block, args(block));
      // TypeScript through tsx, with the Nest example's compiler options (its decorators).
      const runtime =
        block.lang === 'ts'
          ? [join(ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', join(ROOT, 'examples/nestjs/tsconfig.json'), file]]
          : [process.execPath, [file]];
      const outcome = await run(runtime[0] as string, runtime[1] as string[], env, { timeoutMs: 30_000 });
      expect(outcome.code, failed(block, outcome)).toBe(0);
      const promised = promisedOutput(block.code);
      if (promised.length > 0) expect(outcome.stdout.trim().split('\n')).toEqual(promised);
    },
    40_000,
  );

  it.each(byRunner('sh').map((b) => [where(b), b] as const))(
    'the shell commands at %s run and each succeeds',
    async (_, block) => {
      const outcome = await run('bash', ['-euo', 'pipefail', '-c', block.code], env, { timeoutMs: 30_000 });
      expect(outcome.code, failed(block, outcome)).toBe(0);
      expect(outcome.stdout).not.toBe('');
    },
    40_000,
  );

  it.each(byRunner('sh-until').map((b) => [where(b), b] as const))(
    'the long-running command at %s starts, prints what the docs say, and stops on Ctrl-C',
    async (_, block) => {
      const outcome = await runUntil(block.code, env, args(block), 30_000);
      expect(outcome.ready, failed(block, outcome)).toBe(true);
      expect(outcome.code, failed(block, outcome)).toBe(0);
    },
    40_000,
  );

  it.each(byRunner('readme-commands').map((b) => [where(b), b] as const))(
    'the two commands at %s are the ones test/e2e/demo.test.ts runs from a fresh clone and .ci/run runs',
    (_, block) => {
      expect(block.doc).toBe('README.md');
      const commands = block.code
        .trim()
        .split('\n')
        .map((line) => line.replace(/\s+#.*$/, ''));
      expect(commands).toEqual(readmeCommands());
      expect(readFileSync(join(ROOT, 'test/e2e/demo.test.ts'), 'utf8')).toContain('demoFromFreshClone(DEMO_COMMAND');
    },
  );

  it.each(byRunner('install-from-clone').map((b) => [where(b), b] as const))(
    'the install at %s works from a clone (this repository standing in for GitHub): the tarball installs and loads',
    async (_, block) => {
      const dir = mkdtempSync(join(tmpdir(), 'try-before-release-'));
      try {
        // The clone URL's own name, served from this repository: a clone makes the same folder.
        const url = /git clone (\S+)/.exec(block.code)![1]!;
        const bare = join(dir, url.split('/').at(-1)!);
        execFileSync('git', ['clone', '--quiet', '--bare', ROOT, bare]);
        mkdirSync(join(dir, 'my-app'));
        writeFileSync(join(dir, 'my-app/package.json'), '{ "name": "my-app", "private": true, "type": "module" }\n');
        const script = block.code.replace(url, `file://${bare}`);
        const outcome = await run(
          'bash',
          ['-euo', 'pipefail', '-c', script],
          { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, CI: 'true' },
          { cwd: dir, timeoutMs: 280_000 },
        );
        expect(outcome.code, failed(block, outcome)).toBe(0);
        const loaded = execFileSync(
          process.execPath,
          ['--input-type=module', '-e', "import('posthog-conversations').then((m) => console.log(typeof m.computeIdentityHash))"],
          { cwd: join(dir, 'my-app'), encoding: 'utf8' },
        );
        expect(loaded.trim()).toBe('function');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('knows every runner the docs name', () => {
    const known = new Set(['node', 'sh', 'sh-until', 'readme-commands', 'install-from-clone']);
    expect(runBlocks.filter((b) => !known.has((b.marker as { runner: string }).runner)).map(where)).toEqual([]);
  });
});
