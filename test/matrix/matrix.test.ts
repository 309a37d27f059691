// The adapters against the other framework versions they support: NestJS 10 and 12 (11 is the
// repository's own), Next.js 15 (16 is the repository's own). Each version lives in its own
// folder here, installed from its lock file on first run.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { EMULATOR_DEFAULTS } from '../../src/testing/index.js';
import { freePort, startExample } from '../examples/run-example.js';
import { ROOT } from '../package/run-node.js';
import { installFromLock } from '../package/scratch.js';
import { LEAKS, addClientLeak, copyNextExample } from '../helpers/next-apps.js';

const MATRIX = join(ROOT, 'test/matrix');
const TSX = createRequire(import.meta.url).resolve('tsx');

/**
 * Installs a version folder from its lock file (when it changed) and puts this package in it the way
 * an install does: package.json and dist/ only, so its peer imports resolve to that folder's versions.
 */
function prepare(name: string): string {
  const dir = join(MATRIX, name);
  installFromLock(dir);
  const installed = join(dir, 'node_modules/posthog-conversations');
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed);
  cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
  return dir;
}

/** Node.js 20.18.1, the `engines` floor (before require(esm)), from test/runtimes' lock file. */
function floorNode(): string {
  installFromLock(join(ROOT, 'test/runtimes'));
  return join(ROOT, 'test/runtimes/node_modules/node20floor/bin/node');
}

function run(args: string[], cwd: string, node = process.execPath): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(node, args, { cwd, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

// Nest 12 is ESM only: on Node.js 20.18.1 (the engines floor) only import() can load it.
describe.each([
  ['nest10', 'this Node.js'], // with rxjs 7.1.0, the peer range's floor
  ['nest12', 'this Node.js'],
  ['nest12', 'Node.js 20.18.1'],
])('NestJS adapter on %s, %s', (name, on) => {
  it('serves the identity on the Express and Fastify platforms', async () => {
    const dir = prepare(name);
    cpSync(join(MATRIX, 'nest-app.ts'), join(dir, 'app.ts'));
    const node = on === 'this Node.js' ? process.execPath : floorNode();
    const out = await run(['--import', TSX, 'app.ts'], dir, node);
    const results = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(results.nest).toMatch(name === 'nest10' ? /^10\./ : /^12\./);
    expect(results.node).toBe(on === 'this Node.js' ? process.version : 'v20.18.1');
    const hash = (id: string) => computeIdentityHash(id, 'phs_matrix_secret');
    for (const platform of ['express', 'fastify']) {
      expect(results[platform]).toEqual({
        page: { identity: { identity_distinct_id: 'user_ada', identity_hash: hash('user_ada') } },
        visitor: [401, 'no-store'],
        login: { ok: true, posthogIdentity: { identity_distinct_id: 'user_fresh', identity_hash: hash('user_fresh') } },
      });
    }
  }, 180_000);
});

describe('Next.js adapter on next15', () => {
  it('builds the example with next build and serves the right hash with next start', async () => {
    const dir = prepare('next15');
    const app = join(dir, 'app');
    copyNextExample(app);
    const next = join(dir, 'node_modules/next/dist/bin/next');
    const build = await run([next, 'build'], app);
    expect(build).toMatch(/Next\.js 15\./);
    const port = String(await freePort());
    const server = await startExample(
      [next, 'start', '-p', port, '-H', '127.0.0.1'],
      { NEXT_TELEMETRY_DISABLED: '1' },
      { cwd: app, ready: /Ready in/ },
    );
    try {
      const cookie = `demo_session=ada.${computeIdentityHash('ada', 'demo-session-cookie-key')}`;
      const html = await (await fetch(server.url, { headers: { cookie } })).text();
      expect(html).toContain(computeIdentityHash('user_ada', EMULATOR_DEFAULTS.secretApiToken));
      expect(await (await fetch(server.url)).text()).not.toMatch(/identity_hash/);
      const edge = await fetch(`${server.url}/api/edge-identity`, { headers: { cookie } });
      expect(await edge.json()).toMatchObject({ identity_distinct_id: 'user_ada' });
    } finally {
      await server.stop();
      rmSync(app, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the browser guard on next15 (webpack)', () => {
  it('fails next build, saying why, when a client component imports the root or /identity', async () => {
    const dir = prepare('next15');
    const app = join(dir, 'app');
    copyNextExample(app);
    try {
      addClientLeak(app, LEAKS.rootAndIdentity);
      const failure = await run([join(dir, 'node_modules/next/dist/bin/next'), 'build'], app).then(
        () => 'built',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/Next\.js 15\./);
      expect(failure).toMatch(/SERVER-ONLY posthog-conversations holds your Secret API key, which must never reach a browser/);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  }, 300_000);
});
