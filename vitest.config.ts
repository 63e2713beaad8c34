import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds bin/kindling.js's bundle from the current sources before any test runs it.
    globalSetup: ['scripts/build-cli.mjs'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
