import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAwsClients } from '../../src/aws/createAwsClients.ts';
import type { CommandContext } from '../../src/cli/commandContext.ts';
import type { AdminConfig, CodeBuildConfig } from '../../src/config/adminConfig.ts';
import type { TestIo } from './testIo.ts';

export const ACCOUNT = '111122223333';

/** A complete config as loadConfig would return it, with `overrides` on top. */
export function adminConfig(baseDir: string, overrides: Partial<AdminConfig> = {}): AdminConfig {
  return {
    region: 'us-east-1',
    account: ACCOUNT,
    profile: undefined,
    domain: 'myorg',
    repository: 'npm-private',
    upstreamRepository: 'npm-store',
    externalConnection: 'public:npmjs',
    scope: '@myorg',
    libsPath: 'libs',
    consumerPaths: ['app'],
    tokenDuration: 43_200,
    npmrcToken: 'env',
    tokenEnvVar: 'CODEARTIFACT_AUTH_TOKEN',
    endpoint: undefined,
    codebuild: undefined,
    baseDir,
    ...overrides,
  };
}

/** The `codebuild` section with every default filled in, as loadConfig returns it. */
export function codebuildConfig(overrides: Partial<CodeBuildConfig> = {}): CodeBuildConfig {
  return {
    projectName: 'libs-release',
    githubRepository: 'myorg/platform',
    branch: 'main',
    filePathPattern: '^libs/',
    image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    buildspec: 'buildspec.yml',
    roleName: undefined,
    githubApiUrl: undefined,
    ...overrides,
  };
}

/** The context a command gets, with clients that aws-sdk-client-mock intercepts (one attempt, no retries). */
export function commandContext(config: AdminConfig, io: TestIo): CommandContext {
  const clients = createAwsClients({ region: config.region, maxAttempts: 1 });
  return { config, clients, endpoint: undefined, io };
}

/** A built library folder: package.json and its entry file. */
export async function writeLibrary(
  libsDir: string,
  folder: string,
  manifest: Record<string, unknown>,
  options: { built?: boolean } = {},
): Promise<string> {
  const dir = join(libsDir, folder);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ main: './dist/index.js', files: ['dist'], ...manifest }),
  );
  if (options.built !== false)
    await writeFile(join(dir, 'dist/index.js'), `module.exports = ${JSON.stringify(manifest.name)};\n`);
  return dir;
}
