import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError } from '@myorg/error';
import { describeAuth, parseRegistryConfig } from '@myorg/registry';
import { banner, redacted } from '../banner.ts';
import { startLocalGateway } from './localGateway.ts';
import type { LambdaHandler } from './startLambda.ts';

/** `--lambda` (Nx passes `--lambda=true`), and `--stage=<name>` for a named stage. */
export function lambdaMode(argv: readonly string[]): { stage: string | undefined } | undefined {
  if (!argv.some((arg) => arg === '--lambda' || arg === '--lambda=true')) return undefined;
  const stage = argv.find((arg) => arg.startsWith('--stage='))?.slice('--stage='.length);
  return { stage: stage === '' ? undefined : stage };
}

/** Where `nx build registry` puts the Lambda bundle, relative to the workspace. */
export const LAMBDA_BUNDLE = 'apps/registry/dist/lambda/index.mjs';

export interface ServeLambdaOptions {
  workspaceRoot: string;
  stage?: string;
}

/**
 * `nx serve registry --lambda`: the BUILT Lambda bundle behind a local stand-in for API Gateway,
 * so what runs is what deploys. The environment is the function's (REGISTRY_STORAGE defaults to
 * the workspace's data directory, as for the server); PORT and HOST place the stand-in.
 */
export async function serveLambda(env: NodeJS.ProcessEnv, options: ServeLambdaOptions) {
  const bundle = join(options.workspaceRoot, LAMBDA_BUNDLE);
  if (!existsSync(bundle)) {
    throw new NotFoundError(`${LAMBDA_BUNDLE} is missing: build it with \`npx nx build registry\` first`, {
      expose: true,
    });
  }
  // Set in the environment itself: the bundle reads process.env when it is imported.
  env.REGISTRY_STORAGE ||= pathToFileURL(join(options.workspaceRoot, 'data')).href;
  const config = parseRegistryConfig(env, { storage: env.REGISTRY_STORAGE });
  const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: LambdaHandler };
  const gateway = await startLocalGateway({
    handler,
    host: config.host,
    port: config.port,
    stage: options.stage,
  });
  const publicUrl = config.publicUrl === undefined ? gateway.url : `${config.publicUrl}/`;
  return {
    banner: banner(
      gateway.url,
      publicUrl,
      config.storage,
      config.upstream.url === undefined ? 'none' : redacted(config.upstream.url),
      {
        storageUrl: config.storage,
        auth: describeAuth(config),
        allowRegistration: config.allowRegistration,
        publicRead: config.publicRead,
      },
    ),
    close: gateway.close,
  };
}
