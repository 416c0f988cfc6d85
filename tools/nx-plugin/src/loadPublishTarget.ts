import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseDuration } from '@myorg/date';
import type { PublishTarget } from '@myorg/services/publish';
import { ConfigError, isPlainObject, parseJson, substituteEnvDeep } from '@myorg/utilities';

/** Environment variables that point publishing at any npm registry, overriding the config file. */
export const PUBLISH_REGISTRY_URL = 'PUBLISH_REGISTRY_URL';
export const PUBLISH_REGISTRY_TOKEN = 'PUBLISH_REGISTRY_TOKEN';
/** The CodeArtifact config file at the workspace root, shared with the admin CLI. */
export const CODEARTIFACT_CONFIG_FILE = 'codeartifact-config.json';

export interface LoadPublishTargetOptions {
  workspaceRoot: string;
  /** A registry URL given on the command line: the strongest choice. */
  registry?: string;
  /** The CodeArtifact config, relative to the workspace root. Defaults to `codeartifact-config.json`. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
}

// Left as a reference so the token is filled in by resolveTarget and never sits in a printed target.
const TOKEN_REFERENCE = `\${${PUBLISH_REGISTRY_TOKEN}:-}`;

function optionalString(config: Record<string, unknown>, key: string, file: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${file}: "${key}" must be a string`);
  return value;
}

/** `tokenDurationSeconds`, or the admin CLI's `tokenDuration` (`"12h"`, `"900s"`). */
function tokenSeconds(config: Record<string, unknown>, file: string): number | undefined {
  const { tokenDurationSeconds, tokenDuration } = config;
  if (tokenDurationSeconds !== undefined) {
    if (typeof tokenDurationSeconds !== 'number') {
      throw new ConfigError(`${file}: "tokenDurationSeconds" must be a number`);
    }
    return tokenDurationSeconds;
  }
  if (tokenDuration === undefined || tokenDuration === '') return undefined;
  if (typeof tokenDuration !== 'string')
    throw new ConfigError(`${file}: "tokenDuration" must be a string such as "12h"`);
  try {
    return Math.round(parseDuration(tokenDuration) / 1000);
  } catch (error) {
    throw new ConfigError(`${file}: "tokenDuration": ${(error as Error).message}`, { cause: error });
  }
}

function codeArtifactTarget(config: unknown, file: string): PublishTarget {
  if (!isPlainObject(config)) throw new ConfigError(`${file}: expected a JSON object`);
  const required = (key: string): string => {
    const value = optionalString(config, key, file);
    if (value === undefined) throw new ConfigError(`${file}: "${key}" is required`);
    return value;
  };
  // The admin CLI calls the owner "account"; both names work.
  const domainOwner = optionalString(config, 'domainOwner', file) ?? optionalString(config, 'account', file);
  const endpoint = optionalString(config, 'endpoint', file);
  const profile = optionalString(config, 'profile', file);
  const seconds = tokenSeconds(config, file);
  return {
    kind: 'codeartifact',
    domain: required('domain'),
    repository: required('repository'),
    region: required('region'),
    ...(domainOwner === undefined ? {} : { domainOwner }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(profile === undefined ? {} : { profile }),
    ...(seconds === undefined ? {} : { tokenDurationSeconds: seconds }),
  };
}

/**
 * Where to publish, strongest first: the `registry` option, then `PUBLISH_REGISTRY_URL` (both
 * with the token from `PUBLISH_REGISTRY_TOKEN`, left as a `${VAR}` reference for `resolveTarget`),
 * then the CodeArtifact config file, whose `${VAR}` references are filled from `env` here; unset
 * variables without a default fail, all listed at once.
 */
export async function loadPublishTarget(options: LoadPublishTargetOptions): Promise<PublishTarget> {
  const env = options.env ?? process.env;
  const url = options.registry || env[PUBLISH_REGISTRY_URL];
  if (url) return { kind: 'registry', url, token: TOKEN_REFERENCE };
  const file = options.configFile ?? CODEARTIFACT_CONFIG_FILE;
  const path = isAbsolute(file) ? file : join(options.workspaceRoot, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigError(
      `no publish target: pass --registry, set ${PUBLISH_REGISTRY_URL} (and ${PUBLISH_REGISTRY_TOKEN}), or add ${file}`,
    );
  }
  const { value, missing } = substituteEnvDeep(parseJson(text, file), env);
  if (missing.length > 0) {
    throw new ConfigError(`${file}: environment variables not set: ${missing.join(', ')}`, {
      details: { missing },
    });
  }
  return codeArtifactTarget(value, file);
}
