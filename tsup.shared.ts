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

/**
 * The build of a deployable app: one ESM file for Node 24 (`node dist/main.js`) with the @myorg
 * libraries bundled in from their sources. Bundled CommonJS dependencies call `require`, which ESM
 * output must define.
 */
export function appBundle(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/main.ts'],
    format: ['esm'],
    target: 'node24',
    platform: 'node',
    sourcemap: true,
    clean: true,
    dts: false,
    tsconfig: 'tsconfig.app.json',
    noExternal: [/^@myorg\//],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    esbuildOptions(options) {
      options.conditions = ['@myorg/source'];
    },
    ...overrides,
  });
}
