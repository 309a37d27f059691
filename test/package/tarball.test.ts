// What `npm pack` publishes, installed with plain `npm install` into fresh projects: ESM, CommonJS,
// TypeScript (node16 and bundler resolution, strict, no skipLibCheck, the oldest supported
// TypeScript), React 18 and 19 apps, and an app without Nest.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeIdentityHash } from '../../src/index.js';
import { ROOT } from './run-node.js';
import { TARBALL, scratchProject } from './scratch.js';

const node = (file: string, cwd: string) => execFileSync(process.execPath, [file], { cwd, encoding: 'utf8' });
const tsc = (cwd: string, bin: string, config: string) =>
  execFileSync(process.execPath, [join(cwd, 'node_modules', bin, 'bin/tsc'), '-p', config], { cwd, encoding: 'utf8' });

describe('the packed tarball', () => {
  const files = execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''));

  it('ships the license, the readme and the build, and no source maps', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/hono/index.js',
        'dist/fastify/index.cjs',
        'dist/edge/hono.js',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('ships a package.json that names no source file and carries no repository script', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', TARBALL, 'package/package.json'], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    expect(manifest).not.toHaveProperty('imports');
    expect(manifest).not.toHaveProperty('scripts');
    expect(JSON.stringify(manifest)).not.toMatch(/\.\/src\/|(?<!\.d)\.ts"/);
    expect(manifest.bin).toEqual({ 'posthog-conversations': 'bin/posthog-conversations.js' });
    expect(files).toContain('CHANGELOG.md');
  });

  it('has no sourceMappingURL comment pointing at a map that is not shipped', () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    execFileSync('tar', ['-xzf', TARBALL, '-C', dir]);
    const dangling = files.filter((f) => /\.c?js$/.test(f) && /sourceMappingURL=/.test(readFileSync(join(dir, 'package', f), 'utf8')));
    expect(dangling).toEqual([]);
  });

  it('says where the project lives and lists the changelog changesets writes', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\//) },
      homepage: expect.any(String),
      bugs: { url: expect.any(String) },
    });
    expect(manifest.files).toContain('CHANGELOG.md');
  });

  it('declares no peer an app could conflict with needlessly: no React, and every peer optional', () => {
    const { peerDependencies, peerDependenciesMeta } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    expect(Object.keys(peerDependencies)).not.toContain('react');
    for (const name of Object.keys(peerDependencies)) expect(peerDependenciesMeta[name], name).toEqual({ optional: true });
  });
});

describe('installed into a fresh app', () => {
  let app: string;
  beforeAll(() => {
    app = scratchProject('consumer', {
      typescript: '~5.9.3',
      typescript54: 'npm:typescript@5.4.5',
      '@types/node': '^20.19.0',
      hono: '^4.0.0',
    });
    cpSync(join(ROOT, 'test/package/consumer'), app, { recursive: true });
    const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', types: ['node'] };
    const node16 = { ...compilerOptions, module: 'node16', moduleResolution: 'node16' };
    writeFileSync(
      join(app, 'tsconfig.node16.json'),
      JSON.stringify({ compilerOptions: node16, files: ['app.ts', 'app.cts', 'hono-app.ts'] }),
    );
    writeFileSync(
      join(app, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler' },
        files: ['app.ts', 'hono-app.ts'],
      }),
    );
    // Hono's own declarations need TypeScript 5.7 (`Uint8Array<...>`): the oldest TypeScript checks the rest.
    writeFileSync(join(app, 'tsconfig.ts54.json'), JSON.stringify({ compilerOptions: node16, files: ['app.ts', 'app.cts'] }));
  }, 180_000);

  const expected = JSON.stringify({
    loaded: true,
    hash: computeIdentityHash('user_123', 'phs_s'),
    identity: { identity_distinct_id: 'user_123', identity_hash: computeIdentityHash('user_123', 'phs_s') },
  });

  it('loads every framework-free entry and signs, from ESM', () => {
    expect(node('esm.mjs', app).trim()).toBe(expected);
  });

  it('loads every framework-free entry and signs, from CommonJS', () => {
    expect(node('cjs.cjs', app).trim()).toBe(expected);
  });

  it.each(['node16', 'bundler'])(
    'type-checks with TypeScript 5.9, %s resolution, strict, without skipLibCheck',
    (resolution) => {
      expect(tsc(app, 'typescript', `tsconfig.${resolution}.json`)).toBe('');
    },
    60_000,
  );

  it('type-checks with TypeScript 5.4, the oldest the README supports', () => {
    expect(tsc(app, 'typescript54', 'tsconfig.ts54.json')).toBe('');
  }, 60_000);

  it('type-checks in a Cloudflare Workers project: workers-types, no @types/node, strict, without skipLibCheck', () => {
    const worker = scratchProject('workers-consumer', {
      typescript: '~5.9.3',
      '@cloudflare/workers-types': '^4.20250101.0 || ^5.0.0',
      hono: '^4.0.0',
    });
    writeFileSync(
      join(worker, 'worker.ts'),
      `import { createClient, identityFor, verifyWebhook } from 'posthog-conversations';
import { computeIdentityHash } from 'posthog-conversations/identity';
import { createWebhookHandler } from 'posthog-conversations/webhooks';
import { posthogIdentity } from 'posthog-conversations/hono';

interface Env { POSTHOG_SECRET_API_TOKEN: string; POSTHOG_WIDGET_TOKEN: string }
const identity = posthogIdentity({ secret: 'phs_s', getDistinctId: () => 'user_1' });
const hooks = createWebhookHandler({ secret: 'whsec_c2VjcmV0', onDelivery: () => undefined });
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const client = createClient({ publicToken: env.POSTHOG_WIDGET_TOKEN, fetch: (input, init) => fetch(input, init) });
    const fields = identityFor('user_1', { secret: env.POSTHOG_SECRET_API_TOKEN });
    const page = await client.widget.listTickets({ identity: fields });
    void [computeIdentityHash, verifyWebhook, identity, hooks];
    return Response.json({ count: page.count, hash: fields.identity_hash });
  },
} satisfies ExportedHandler<Env>;
`,
    );
    for (const conditions of [[], ['workerd', 'worker']]) {
      const compilerOptions = {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022'],
        types: ['@cloudflare/workers-types'],
        customConditions: conditions,
      };
      writeFileSync(join(worker, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['worker.ts'] }));
      expect(tsc(worker, 'typescript', 'tsconfig.json'), `conditions: ${conditions.join(', ') || 'none'}`).toBe('');
    }
  }, 180_000);

  it('says what to install when /nestjs is imported without Nest', () => {
    const error = JSON.parse(node('nest-missing.mjs', app)) as { name: string; code: string; message: string };
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ERR_CONFIGURATION' });
    expect(error.message).toContain('posthog-conversations/nestjs needs @nestjs/common');
    expect(error.message).toContain('npm install @nestjs/common @nestjs/core rxjs reflect-metadata');
  });
});

describe.each([
  ['React 18', '^18.3.1'],
  ['React 19', '^19.0.0'],
])('in a %s app', (name, range) => {
  it('installs with a plain npm install (no peer conflict) and loads', () => {
    const dir = scratchProject(`react-${name.slice(-2)}`, { react: range, 'react-dom': range });
    expect(execFileSync('npm', ['ls', '--all'], { cwd: dir, encoding: 'utf8' })).toContain('posthog-conversations@');
    expect(
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "import('posthog-conversations').then((m) => console.log(typeof m.identityFor))"],
        { cwd: dir, encoding: 'utf8' },
      ).trim(),
    ).toBe('function');
  }, 120_000);
});
