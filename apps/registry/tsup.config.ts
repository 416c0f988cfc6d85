import { appBundle } from '../../tsup.shared.ts';

// The CodeArtifact stand-in (`--codeartifact`) is a dev-only workspace app, imported on demand:
// it stays out of the bundle, which deploys without it.
export default appBundle({
  noExternal: [/^@myorg\/(?!codeartifact-standin$)/],
  external: ['@myorg/codeartifact-standin'],
});
