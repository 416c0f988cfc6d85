import { defineConfig, type Options } from 'tsup';

/**
 * The one build every published library shares: ESM and CJS side by side with their own
 * declaration files, so `import` and `require` consumers both get types.
 */
export function libraryBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    tsconfig: 'tsconfig.lib.json',
    ...overrides,
  });
}
