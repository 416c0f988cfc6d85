import { ConfigError, substituteEnvDeep } from '@myorg/utilities';
import { resolveRegistryTarget } from './registryTarget.ts';
import type { PublishTarget, ResolvedTarget } from './types.ts';

function requireString(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`publish target: "${field}" must be a non-empty string`);
  }
}

function checkTarget(target: PublishTarget): void {
  if (target.kind === 'registry') {
    requireString(target.url, 'url');
    return;
  }
  if (target.kind === 'codeartifact') {
    for (const field of ['domain', 'repository', 'region'] as const) requireString(target[field], field);
    const seconds = target.tokenDurationSeconds;
    if (
      seconds !== undefined &&
      !(seconds === 0 || (Number.isInteger(seconds) && seconds >= 900 && seconds <= 43_200))
    ) {
      throw new ConfigError('publish target: "tokenDurationSeconds" must be 0 or 900–43200');
    }
    return;
  }
  throw new ConfigError(
    `publish target: unknown kind ${JSON.stringify((target as { kind?: unknown }).kind)}`,
  );
}

/**
 * Turns a target into a registry URL, a token and a registry-side "already published?" check.
 * `${VAR}` references in the target's strings are filled from `env` first (default
 * `process.env`); unset variables without a default fail, all listed at once. A registry without
 * a token publishes by trusted publishing when `env` is a GitHub Actions job's with an id-token.
 */
export async function resolveTarget(
  target: PublishTarget,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<ResolvedTarget> {
  const env = options.env ?? process.env;
  const { value, missing } = substituteEnvDeep(target, env);
  if (missing.length > 0) {
    throw new ConfigError(`publish target: environment variables not set: ${missing.join(', ')}`, {
      details: { missing },
    });
  }
  checkTarget(value);
  if (value.kind === 'registry') return resolveRegistryTarget(value, env);
  // Loaded on demand: the AWS SDK is heavy, and every Nx publish task is a fresh process.
  const { resolveCodeArtifactTarget } = await import('./codeArtifactTarget.ts');
  return resolveCodeArtifactTarget(value);
}
