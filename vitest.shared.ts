import { defineConfig } from 'vitest/config';

/**
 * Test settings shared by every project. Workspace packages resolve to their `src/` through the
 * `@myorg/source` export condition, so tests never need a prior build. Coverage below 90 % of lines
 * fails the run.
 */
export function projectTests(
  options: { coverage?: boolean; testTimeout?: number; include?: string[]; isolate?: boolean } = {},
) {
  const { coverage = true, testTimeout = 10_000, include = ['tests/**/*.test.ts'], isolate = true } = options;
  return defineConfig({
    resolve: { conditions: ['@myorg/source'] },
    ssr: { resolve: { conditions: ['@myorg/source'] } },
    test: {
      include,
      // `isolate: false` runs a worker's files one after another in one module graph: shared imports
      // are evaluated once per worker, not once per file. Only for suites without module-level state.
      isolate,
      testTimeout,
      hookTimeout: testTimeout,
      // The JSON report feeds the workspace-wide "N passed, N failed" line printed after `npm test`.
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      coverage: {
        enabled: coverage,
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.d.ts'],
        reporter: ['text-summary'],
        thresholds: { lines: 90 },
      },
    },
  });
}
