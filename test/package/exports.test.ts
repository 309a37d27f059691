import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT, runNode } from './run-node.js';

const ENTRIES = [
  'posthog-conversations',
  'posthog-conversations/identity',
  'posthog-conversations/identity/edge',
  'posthog-conversations/webhooks',
  'posthog-conversations/proxy',
  'posthog-conversations/express',
  'posthog-conversations/nestjs',
  'posthog-conversations/next',
  'posthog-conversations/hono',
  'posthog-conversations/fastify',
  'posthog-conversations/testing',
];

// react-server is the condition a Next.js server bundle resolves with; it lets /next's `server-only` import load.
function exportNames(type: 'module' | 'commonjs', conditions: string[] = ['react-server'], entries = ENTRIES): Record<string, string[]> {
  const load = type === 'module' ? 'await import(name)' : 'require(name)';
  const body = `const out = {}; for (const name of ${JSON.stringify(entries)}) out[name] = Object.keys(${load}).filter((k) => k !== 'default' && k !== 'module.exports').sort(); console.log(JSON.stringify(out));`;
  const script = type === 'module' ? body : `(async () => { ${body} })()`;
  return JSON.parse(runNode(script, { type, conditions })) as Record<string, string[]>;
}

describe('public exports (review any change to this snapshot)', () => {
  const esm = exportNames('module');

  it('lists every entry point as ESM', () => {
    expect(esm).toMatchSnapshot();
  });

  it('has the same names through require() (CommonJS build)', () => {
    expect(exportNames('commonjs')).toEqual(esm);
  });

  it('lists /widget, the same through require(), on Node and under the browser and react-native conditions', () => {
    const widget = exportNames('module', [], ['posthog-conversations/widget']);
    expect(widget).toMatchSnapshot();
    for (const conditions of [[], ['browser'], ['react-native']]) {
      expect(exportNames('module', conditions, ['posthog-conversations/widget'])).toEqual(widget);
      expect(exportNames('commonjs', conditions, ['posthog-conversations/widget'])).toEqual(widget);
    }
  });

  it.each(['edge-light', 'worker', 'workerd'])('gives the same names under the %s condition, from the edge build', (condition) => {
    const entries = ['posthog-conversations', 'posthog-conversations/identity', 'posthog-conversations/next', 'posthog-conversations/hono'];
    const expected = Object.fromEntries(entries.map((e) => [e, esm[e]]));
    expect(exportNames('module', [condition], entries)).toEqual(expected);
    expect(exportNames('commonjs', [condition], entries)).toEqual(expected);
    const file = runNode(`console.log(import.meta.resolve('posthog-conversations/identity'))`, { conditions: [condition] });
    expect(file.trim()).toMatch(/\/dist\/edge\/identity\.js$/);
    const next = runNode(`console.log(import.meta.resolve('posthog-conversations/next'))`, { conditions: [condition] });
    expect(next.trim()).toMatch(/\/dist\/edge\/next\.js$/);
    const hono = runNode(`console.log(import.meta.resolve('posthog-conversations/hono'))`, { conditions: [condition] });
    expect(hono.trim()).toMatch(/\/dist\/edge\/hono\.js$/);
  });

  it('shares one error class between the root and /identity entries (instanceof works across them)', () => {
    const script = `const root = await import('posthog-conversations'); const id = await import('posthog-conversations/identity');
      let e; try { id.computeIdentityHash('', 's') } catch (err) { e = err }
      console.log(String(e instanceof root.ValidationError && root.IdentitySigner === id.IdentitySigner))`;
    expect(runNode(script).trim()).toBe('true');
    const cjs = `const root = require('posthog-conversations'); const id = require('posthog-conversations/identity');
      let e; try { id.computeIdentityHash('', 's') } catch (err) { e = err }
      console.log(String(e instanceof root.ValidationError && root.IdentitySigner === id.IdentitySigner))`;
    expect(runNode(cjs, { type: 'commonjs' }).trim()).toBe('true');
  });
});

describe('server-only guard', () => {
  it('refuses to load /next outside a server bundle, as a client component would', () => {
    // server-only throws while loading: the import fails, whichever way it is reported.
    expect(() => runNode(`await import('posthog-conversations/next'); console.log('loaded')`)).toThrow(
      /cannot be imported from a Client Component/,
    );
  });
});

describe('browser condition', () => {
  // /next imports `server-only` first (Next.js's own build error; require() runs it first), but ESM
  // resolves every import before running any, so there the missing module that says why comes first.
  it.each(ENTRIES)('makes %s fail at import, so a secret can never be bundled for a browser', (entry) => {
    const expected = entry.endsWith('/next')
      ? /cannot be imported from a Client Component|SERVER-ONLY.*must never reach a browser/
      : /server-only.*must never reach a browser/i;
    // Node reports server-only's throw from an ESM import as an uncaught error: the process fails.
    const run = (script: string, type: 'module' | 'commonjs') => {
      try {
        return runNode(script, { conditions: ['browser'], type });
      } catch (error) {
        return String((error as Error).message);
      }
    };
    const script = `import(${JSON.stringify(entry)}).then(() => console.log('loaded'), (e) => console.log(e.message))`;
    expect(run(script, 'module')).toMatch(expected);
    const cjs = `try { require(${JSON.stringify(entry)}); console.log('loaded') } catch (e) { console.log(e.message) }`;
    expect(run(cjs, 'commonjs')).toMatch(expected);
  });
});

describe('what each entry loads', () => {
  /** The packages a built file imports, following its own chunks. */
  const packagesOf = (file: string) => {
    const result = buildSync({
      entryPoints: [join(ROOT, file)],
      bundle: true,
      write: false,
      platform: 'node',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    return [
      ...new Set(Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path))),
    ].sort();
  };

  it.each(['dist/identity/index.js', 'dist/identity/index.cjs'])('%s needs only node:crypto: no HTTP client, no schema library', (file) => {
    expect(packagesOf(file)).toEqual(['crypto']);
  });

  it.each(['dist/webhooks/index.js', 'dist/webhooks/index.cjs'])('%s needs only node:crypto: no HTTP client, no schema library', (file) => {
    expect(packagesOf(file)).toEqual(['crypto']);
  });

  // The Express and Fastify proxies stream bodies between Node's http and the Fetch core with node:stream.
  it.each([
    ['express', ['crypto', 'stream']],
    ['hono', ['crypto']],
    ['fastify', ['crypto', 'stream']],
  ])('the %s adapter loads no framework (its types only) and no HTTP client', (name, builtIns) => {
    expect(packagesOf(`dist/${name}/index.js`)).toEqual(builtIns);
    expect(packagesOf(`dist/${name}/index.cjs`)).toEqual(builtIns);
  });

  it('the edge build of the Hono adapter loads nothing: no node:* module, no schema library', () => {
    expect(packagesOf('dist/edge/hono.js')).toEqual([]);
  });

  it('the root entry adds exactly undici and zod, the two runtime dependencies', () => {
    expect(packagesOf('dist/index.js')).toEqual(['crypto', 'undici', 'zod']);
  });
});
