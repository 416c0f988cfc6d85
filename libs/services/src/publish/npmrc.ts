import { chmod, writeFile } from 'node:fs/promises';
import { ConfigError } from '@myorg/utilities';

export interface NpmrcOptions {
  /**
   * The scope whose packages come from the registry: `@myorg` (the `@` is optional). Without it the
   * registry becomes the default for every package.
   */
  scope?: string;
  registryUrl: string;
  /** Writes `${NAME}`, which npm expands when it reads the file, so no secret lands on disk. */
  tokenEnvVar?: string;
  /** Writes the token itself; only for short-lived tokens in files that never leave the machine. */
  token?: string;
}

const SCOPE = /^@?([a-z0-9~-][a-z0-9._~-]*)$/i;
const ENV_VAR = /^[A-Za-z_]\w*$/;

/** The scope with its `@`: `myorg` and `@myorg` both give `@myorg`. */
export function normalizeScope(scope: string): string {
  const match = SCOPE.exec(scope);
  if (!match) throw new ConfigError(`invalid npm scope ${JSON.stringify(scope)}`);
  return `@${match[1]}`;
}

/**
 * The key npm looks up credentials by: the registry URL without its protocol, credentials, query
 * or fragment, ending with `/` (`//host:port/npm/repo/`). npm picks the longest key that prefixes
 * a request URL, so the path must be the registry's own.
 */
export function registryAuthKey(registryUrl: string): string {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch {
    throw new ConfigError(`registry URL ${JSON.stringify(registryUrl)} is not an absolute URL`);
  }
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${path}`;
}

/** The registry URL with a trailing `/`, as npm and CodeArtifact expect. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * A consumer `.npmrc`: the scope's registry and, when a token is given, the matching
 * `//host/path/:_authToken=` line. No `always-auth`: npm 7 and later warn about it.
 */
export function renderNpmrc(options: NpmrcOptions): string {
  const { tokenEnvVar, token } = options;
  if (tokenEnvVar !== undefined && token !== undefined) {
    throw new ConfigError('give either tokenEnvVar or token, not both');
  }
  if (tokenEnvVar !== undefined && !ENV_VAR.test(tokenEnvVar)) {
    throw new ConfigError(`invalid environment variable name ${JSON.stringify(tokenEnvVar)}`);
  }
  if (token !== undefined && (token === '' || /[\r\n]/.test(token))) {
    throw new ConfigError('the token must be a non-empty single line');
  }
  const registryUrl = withTrailingSlash(options.registryUrl);
  const authKey = registryAuthKey(registryUrl);
  const key = options.scope === undefined ? 'registry' : `${normalizeScope(options.scope)}:registry`;
  const lines = [`${key}=${registryUrl}`];
  const secret = tokenEnvVar === undefined ? token : `\${${tokenEnvVar}}`;
  if (secret !== undefined) lines.push(`${authKey}:_authToken=${secret}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `renderNpmrc(options)` to `path`, readable by the owner only since it may hold a token.
 * Generated files are git-ignored: never commit one.
 */
export async function writeNpmrc(path: string, options: NpmrcOptions): Promise<void> {
  await writeFile(path, renderNpmrc(options), { mode: 0o600 });
  // `mode` applies only when the file is created; an older copy may have wider permissions.
  await chmod(path, 0o600);
}
