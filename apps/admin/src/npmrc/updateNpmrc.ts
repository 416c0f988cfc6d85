import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDuration } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { renderNpmrc } from '@myorg/services/publish';
import type { AuthorizationToken } from '../codeartifact/repositoryAccess.ts';
import type { StepOutcome } from '../steps/types.ts';
import { mergeManagedBlock, readManagedBlock } from './managedBlock.ts';

export interface NpmrcSettings {
  scope: string;
  registryUrl: string;
  /** `env`: the file holds `${tokenEnvVar}`; `inline`: the token itself. */
  mode: 'env' | 'inline';
  tokenEnvVar: string;
  /** Needed for `inline`. */
  token?: AuthorizationToken;
}

export interface UpdateNpmrcOptions {
  dryRun: boolean;
  /**
   * Inline mode: keep the token already in the file while it stays valid this much longer
   * (so a second `setup` changes nothing). Undefined: always write the new token.
   */
  keepTokenValidForMs?: number;
  now?: Date;
}

/** A consumer path from the config: a folder (its `.npmrc`) or an `.npmrc` file itself. */
export function npmrcPath(baseDir: string, consumerPath: string): string {
  const path = resolve(baseDir, consumerPath);
  return basename(path) === '.npmrc' ? path : join(path, '.npmrc');
}

function withoutTokenValue(line: string): string {
  const at = line.indexOf(':_authToken=');
  return at < 0 ? line : line.slice(0, at);
}

function sameSettingsIgnoringToken(a: readonly string[], b: readonly string[]): boolean {
  return (
    a.length === b.length && a.every((line, i) => withoutTokenValue(line) === withoutTokenValue(b[i] ?? ''))
  );
}

/** A typo in `consumerPaths` should say so, not surface as ENOENT. */
async function assertFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new BadRequestError(`the consumer folder ${folder} does not exist`, {
    code: 'ECONSUMER',
    details: { fix: 'correct "consumerPaths" in the config (paths are relative to the config file)' },
  });
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the scope's registry and token lines into the managed block of one `.npmrc`, keeping the
 * file's other settings. Files holding a token itself are made readable by their owner only.
 */
export async function updateNpmrc(
  file: string,
  settings: NpmrcSettings,
  options: UpdateNpmrcOptions,
): Promise<StepOutcome> {
  const now = options.now ?? new Date();
  const inline = settings.mode === 'inline';
  if (inline && settings.token === undefined) throw new TypeError('an inline .npmrc needs a token');
  const lines = renderNpmrc({
    scope: settings.scope,
    registryUrl: settings.registryUrl,
    ...(inline ? { token: settings.token!.token } : { tokenEnvVar: settings.tokenEnvVar }),
  })
    .trimEnd()
    .split('\n');
  const existing = await readIfExists(file);
  const current = existing === undefined ? undefined : readManagedBlock(existing);
  if (
    inline &&
    options.keepTokenValidForMs !== undefined &&
    current?.expiresAt !== undefined &&
    sameSettingsIgnoringToken(current.lines, lines) &&
    current.expiresAt.getTime() - now.getTime() > options.keepTokenValidForMs
  ) {
    const left = formatDuration(Math.floor((current.expiresAt.getTime() - now.getTime()) / 60_000) * 60_000);
    return { status: 'unchanged', detail: `${file}: token still valid for ${left}` };
  }
  const next = mergeManagedBlock(existing, lines, inline ? settings.token!.expiration : undefined);
  if (next === existing) return { status: 'unchanged', detail: `${file} is up to date` };
  if (options.dryRun) return { status: 'would-write', detail: `would write ${file}` };
  await assertFolder(dirname(file));
  await writeFile(file, next, inline ? { mode: 0o600 } : {});
  // `mode` only applies to new files; an existing one may be wider.
  if (inline) await chmod(file, 0o600);
  const what = inline
    ? `token valid until ${settings.token!.expiration.toISOString()}`
    : `token from \${${settings.tokenEnvVar}}`;
  return { status: 'written', detail: `wrote ${file} (${what})` };
}
