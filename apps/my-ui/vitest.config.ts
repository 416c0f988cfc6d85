import { defineConfig } from 'vitest/config';

// Self-contained on purpose: this app is copied out of the monorepo and must test the same way there.
// Coverage is switched on by the workspace's `test` target (`--coverage`); a consumer's plain
// `npm test` needs no coverage provider installed.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The browser test builds the UI and starts Chromium.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // DOM code runs in Chromium (tests/browser.test.ts), where vitest's v8 coverage does not reach.
      exclude: ['src/**/*.d.ts', 'src/main.ts', 'src/dom.ts', 'src/views/**'],
      reporter: ['text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
