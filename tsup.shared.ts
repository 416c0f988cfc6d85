import { defineConfig, type Options } from 'tsup';

/** Entries are files under src/, as the declarations' paths in out-tsc/lib follow from them. */
type LibraryOptions = Omit<Options, 'entry'> & { entry?: string[] };

/**
 * The one build every published library shares: ESM and CJS side by side with their own
 * declaration files, so `import` and `require` consumers both get types. The declarations are
 * bundled from those the library's typecheck (`tsc --build`, tsconfig.lib.json) already wrote to
 * out-tsc/lib, which nx.json runs before a library's build: a declaration build of its own would
 * compile and check the sources a second time.
 */
export function libraryBuild({ entry = ['src/index.ts'], ...overrides }: LibraryOptions = {}) {
  const declarations = entry.map((file) => {
    const name = file.replace(/^src\//, '').replace(/\.ts$/, '');
    return [name, `out-tsc/lib/${name}.d.ts`];
  });
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { entry: Object.fromEntries(declarations) },
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
