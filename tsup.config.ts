import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const define = { __SDK_VERSION__: JSON.stringify(version) };

const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  sourcemap: true,
  splitting: true, // one copy of each module, so `instanceof` errors work across entry points
  treeshake: true,
  outDir: 'dist',
  define,
};

// The edge build is the same source with two modules swapped: the Node HMAC for the one with no
// node:* import, and the undici API clients for stubs that explain they need Node.js.
const source = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));
const EDGE_SWAPS = new Map([
  [source('identity/hmac.js'), source('identity/hmac.edge.ts')],
  [source('client.js'), source('client.edge.ts')],
]);
const useEdgeModules = {
  name: 'use-edge-modules',
  setup(build: { onResolve: (o: { filter: RegExp }, cb: (a: { path: string; resolveDir: string }) => { path: string } | undefined) => void }) {
    build.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir }) => {
      const swap = EDGE_SWAPS.get(resolve(resolveDir, path));
      return swap === undefined ? undefined : { path: swap };
    });
  },
};

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      'identity/index': 'src/identity/index.ts',
      browser: 'src/browser.ts',
      'testing/index': 'src/testing/index.ts',
      'express/index': 'adapters/express/index.ts',
      'nestjs/index': 'adapters/nestjs/index.ts',
      'next/index': 'adapters/next/index.ts',
    },
  },
  {
    ...shared,
    entry: { index: 'src/index.ts', identity: 'src/identity/edge.ts', next: 'adapters/next/edge.ts' },
    outDir: 'dist/edge',
    platform: 'neutral',
    target: 'es2022',
    esbuildPlugins: [useEdgeModules],
  },
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'node20', outDir: 'dist', sourcemap: true, define },
]);
