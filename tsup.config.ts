import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const define = { __SDK_VERSION__: JSON.stringify(version) };

const shared: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  sourcemap: false, // none shipped, so no sourceMappingURL points at a missing file
  splitting: true, // one copy of each module, so `instanceof` errors work across entry points
  treeshake: true,
  outDir: 'dist',
  define,
  shims: true, // import.meta.url in the CommonJS build (the Nest adapter's require)
  // The CommonJS build loads Nest with require, the ESM build with import() (`#nest-peers`).
  esbuildOptions(options, context) {
    if (context.format === 'cjs') options.conditions = [...(options.conditions ?? []), 'posthog-cjs'];
  },
};

// The edge build is the same source resolved with the edge runtimes' conditions: package.json's
// "imports" map then gives `#hmac` the @noble/hashes HMAC and `#client` the stubs that explain the
// API clients need Node.js. tsc and vitest resolve the same map with the `node` condition.
const EDGE_CONDITIONS = ['edge-light', 'workerd', 'worker'];

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      'identity/index': 'src/identity/index.ts',
      'webhooks/index': 'src/webhooks/index.ts',
      'proxy/index': 'src/proxy/index.ts',
      'testing/index': 'src/testing/index.ts',
      'express/index': 'adapters/express/index.ts',
      'nestjs/index': 'adapters/nestjs/index.ts',
      'next/index': 'adapters/next/index.ts',
      'hono/index': 'adapters/hono/index.ts',
      'fastify/index': 'adapters/fastify/index.ts',
    },
  },
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      identity: 'src/identity/edge.ts',
      webhooks: 'src/webhooks/index.ts',
      proxy: 'src/proxy/index.ts',
      next: 'adapters/next/edge.ts',
      hono: 'adapters/hono/index.ts',
      // The widget client for browsers, React Native and every runtime: on fetch, no secret, no signing code.
      widget: 'src/widget/index.ts',
    },
    outDir: 'dist/edge',
    platform: 'neutral',
    target: 'es2022',
    esbuildOptions(options) {
      options.conditions = EDGE_CONDITIONS;
    },
    noExternal: ['@noble/hashes'],
  },
  // The modules a browser build gets: self-contained (no shared chunk a bundler could drop).
  {
    entry: { browser: 'src/runtime/browser.ts', 'browser-next': 'src/runtime/browser-next.ts' },
    format: ['esm', 'cjs'],
    // Kept as written: the app's bundler is the one that must fail to resolve it (browser.ts says why).
    external: [/^\.\/SERVER-ONLY /],
    splitting: false,
    outDir: 'dist',
    target: 'es2020',
  },
  { entry: { cli: 'src/tools/cli.ts' }, format: ['esm'], target: 'node20', outDir: 'dist', define },
]);
