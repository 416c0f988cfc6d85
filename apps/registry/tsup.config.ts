import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';
import { appBundle } from '../../tsup.shared.ts';

const LAMBDA_BUNDLE = 'dist/lambda/index.mjs';
const LAMBDA_BUNDLE_GOAL_BYTES = 2 * 1024 * 1024;

/**
 * zod's `z` namespace re-exports every one of its locales (about 260 KB minified), and a bundler
 * cannot drop members of a namespace object. The registry words its own messages and never selects
 * a zod locale, so the function takes only English, the one zod configures by default.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

export default [
  // The server (`node dist/main.js`). The CodeArtifact stand-in (`--codeartifact`) is a dev-only
  // workspace app, imported on demand: it stays out of the bundle, which deploys without it. The
  // Lambda bundle beside it in dist/lambda is left alone by this build's clean.
  appBundle({
    clean: ['!lambda/**'],
    noExternal: [/^@myorg\/(?!codeartifact-standin$)/],
    external: ['@myorg/codeartifact-standin'],
  }),
  // The AWS Lambda function: one self-contained ESM file (the AWS SDK included, so the function
  // runs the SDK version it was tested with, not the runtime's), handler `index.handler`.
  appBundle({
    entry: { index: 'src/lambda/index.ts' },
    outDir: 'dist/lambda',
    outExtension: () => ({ js: '.mjs' }),
    noExternal: [/./],
    // Dynamic imports inlined and no source map: the asset is this one file.
    splitting: false,
    sourcemap: false,
    minify: true,
    esbuildPlugins: [zodEnglishOnly],
    async onSuccess() {
      const { size } = statSync(LAMBDA_BUNDLE);
      const verdict = size <= LAMBDA_BUNDLE_GOAL_BYTES ? 'within' : 'OVER';
      console.log(
        `lambda bundle: ${LAMBDA_BUNDLE} ${(size / 1024 / 1024).toFixed(2)} MB (${verdict} the 2 MB goal)`,
      );
    },
  }),
];
