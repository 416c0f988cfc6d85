import { defineConfig } from 'tsup';

/**
 * One self-contained ESM file for Node 24 (`node dist/main.js`), for machines that run the CLI
 * without the workspace sources: the @myorg libraries are bundled in, third-party packages stay
 * external and come from node_modules.
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
  // CommonJS packages the libraries pull in (ssri) call require(); ESM output needs it defined.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.conditions = ['@myorg/source'];
  },
});
