import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // The package tests read dist/: `npm test` builds first.
    globalSetup: ['test/global-setup.ts'],
  },
});
