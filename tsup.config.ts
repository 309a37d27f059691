import { readFileSync } from 'node:fs';
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

// The edge build is the same source with the node:crypto HMAC swapped for @noble/hashes.
const edgeHmac = fileURLToPath(new URL('./src/identity/hmac.edge.ts', import.meta.url));
const useEdgeHmac = {
  name: 'use-edge-hmac',
  setup(build: { onResolve: (o: { filter: RegExp }, cb: (a: { importer: string }) => { path: string }) => void }) {
    build.onResolve({ filter: /^\.\/hmac\.js$/ }, () => ({ path: edgeHmac }));
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
    entry: { index: 'src/index.ts', identity: 'src/identity/edge.ts' },
    outDir: 'dist/edge',
    platform: 'neutral',
    target: 'es2022',
    noExternal: ['@noble/hashes'], // bundled: CommonJS users must not hit its ESM-only packaging
    esbuildPlugins: [useEdgeHmac],
  },
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'node20', outDir: 'dist', sourcemap: true, define },
]);
