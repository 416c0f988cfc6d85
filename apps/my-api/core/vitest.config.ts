import { defineConfig } from 'vitest/config';

// Self-contained on purpose: this app is copied out of the monorepo and must test the same way there.
// Coverage is switched on by the workspace's `test` target (`--coverage`); a consumer's plain
// `npm test` needs no coverage provider installed.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // main.ts runs in a child process in tests/main.test.ts, where v8 coverage does not reach.
      exclude: ['src/main.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
