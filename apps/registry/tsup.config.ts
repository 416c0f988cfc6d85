import { defineConfig } from 'tsup';

/**
 * One self-contained ESM file for Node 24: the @myorg libraries (from their sources) and their
 * third-party dependencies are all bundled in, so `dist/main.js` runs without node_modules.
 * Some of those dependencies are CommonJS and `require` Node built-ins, hence the `require` shim.
 */
export default defineConfig({
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
});
