import { isAppError } from '@myorg/error';
import { isCodeArtifactMode } from './codeArtifactMode.ts';
import { npmConfiguredRegistry } from './defaultUpstream.ts';
import { lambdaMode, serveLambda } from './lambda/serveLambda.ts';
import { startServer } from './startServer.ts';
import { workspaceRoot } from './workspaceRoot.ts';

// The registry server: `npx nx serve registry`. Configuration comes from the environment (see
// the README of @myorg/registry); everything else lives in startServer so that tests run it in-process.
try {
  const lambda = lambdaMode(process.argv);
  // `--codeartifact` (or REGISTRY_MODE=codeartifact): the CodeArtifact stand-in instead, a dev-only
  // workspace app (apps/codeartifact-standin) loaded on demand and kept out of the bundle.
  // `--lambda`: the built Lambda bundle behind a local API Gateway (see lambda/serveLambda.ts).
  const server = isCodeArtifactMode(process.argv, process.env)
    ? await (await import('@myorg/codeartifact-standin')).serveCodeArtifact(process.env)
    : lambda !== undefined
      ? await serveLambda(process.env, {
          workspaceRoot: workspaceRoot(import.meta.dirname),
          stage: lambda.stage,
        })
      : await startServer(process.env, {
          workspaceRoot: workspaceRoot(import.meta.dirname),
          // `serve` proxies the registry the user's npm uses, unless told otherwise.
          defaultUpstream: process.env.REGISTRY_UPSTREAM ? undefined : await npmConfiguredRegistry(),
        });
  process.stdout.write(server.banner);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  // A bad configuration is the operator's to fix: say what is wrong, without a stack trace.
  process.stderr.write(`${isAppError(error) && error.expose ? error.message : String(error)}\n`);
  process.exit(1);
}
