import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Tests of the built package, the CLI, real bundlers, other runtimes, examples and the browser: they
// need dist/ (npm test builds it), the packed tarball and Chromium, which the global set-up checks.
const BUILT = [
  'test/package/**',
  'test/runtimes/**',
  'test/e2e/**',
  'test/examples/**',
  'test/matrix/**',
  'test/cli/**',
  'test/readme.test.ts',
  'test/docs/**',
];

export default defineConfig({
  define: { __SDK_VERSION__: JSON.stringify(version) },
  test: {
    testTimeout: 20_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      // `npm run test:unit`: the source itself, against the emulator over real HTTP; no build, pack or browser.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...BUILT, 'test/hostile/**', '**/node_modules/**'],
          // The webhook idempotency tests run a real redis-server.
          globalSetup: ['test/redis-setup.ts'],
        },
      },
      // The contract suite again, every client sending on fetch (the edge runtimes' way) instead of undici.
      {
        extends: true,
        test: {
          name: 'fetch',
          include: ['test/contract/**/*.test.ts', 'test/http/transport.test.ts'],
          env: { TEST_CLIENT_SENDER: 'fetch' },
        },
      },
      // The hostile-input suite: no build either, but deadlines to wait out (about a minute).
      { extends: true, test: { name: 'hostile', include: ['test/hostile/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'built',
          include: BUILT.map((glob) => (glob.endsWith('**') ? `${glob}/*.test.ts` : glob)),
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
