import { formatDuration, parseDuration } from '@myorg/date';
import { BadRequestError } from '@myorg/error';
import { resolveAccount } from '../aws/callerIdentity.ts';
import { writeLine } from '../cli/CliIo.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import { getAuthorizationToken, getRepositoryEndpoint } from '../codeartifact/repositoryAccess.ts';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from '../config/adminConfig.ts';
import { npmrcPath, updateNpmrc } from '../npmrc/updateNpmrc.ts';
import { refreshLoop } from './refreshLoop.ts';

export interface TokenOptions {
  /** Print `export VAR='token'` for `eval "$(myorg-admin token --export)"`. */
  export: boolean;
  /** Overrides the config's tokenDuration (`12h`, `900s`). */
  duration?: string;
  /** Keep rewriting the consumers' `.npmrc` files with a fresh inline token this often (`11h`). */
  refreshEvery?: string;
  /** Stops the refresh loop (SIGINT/SIGTERM in the CLI). */
  signal?: AbortSignal;
}

/** Single-quoted for POSIX shells: the token cannot break out of the quotes. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function durationSeconds(text: string): number {
  const seconds = Math.round(parseDuration(text) / 1000);
  if (seconds < MIN_TOKEN_SECONDS || seconds > MAX_TOKEN_SECONDS) {
    throw new BadRequestError(`token duration ${text} is outside 15m to 12h`);
  }
  return seconds;
}

/**
 * `myorg-admin token`: prints a fresh token (or an `export` line). With `refreshEvery` it instead
 * keeps the consumers' `.npmrc` files holding a valid token until the signal aborts: for jobs that
 * outlive one token. Progress goes to stderr, so stdout carries only the token.
 */
export async function token(context: CommandContext, options: TokenOptions): Promise<void> {
  const { config, clients, io } = context;
  const seconds = options.duration === undefined ? config.tokenDuration : durationSeconds(options.duration);
  const owner = await resolveAccount(clients.sts, config.account);
  const ref = { domain: config.domain, owner, durationSeconds: seconds };
  if (options.refreshEvery === undefined) {
    const { token: value, expiration } = await getAuthorizationToken(clients.codeartifact, ref);
    writeLine(io.stdout, options.export ? `export ${config.tokenEnvVar}=${shellQuote(value)}` : value);
    writeLine(io.stderr, `token for ${config.domain} valid until ${expiration.toISOString()}`);
    return;
  }
  const everyMs = parseDuration(options.refreshEvery);
  if (everyMs <= 0 || everyMs >= seconds * 1000) {
    throw new BadRequestError(
      `--refresh-every ${options.refreshEvery} must be shorter than the token's lifetime (${formatDuration(seconds * 1000)})`,
    );
  }
  const registryUrl = await getRepositoryEndpoint(clients.codeartifact, {
    ...ref,
    repository: config.repository,
  });
  const files = config.consumerPaths.map((consumer) => npmrcPath(config.baseDir, consumer));
  const signal = options.signal ?? new AbortController().signal;
  const refreshed = await refreshLoop({
    everyMs,
    retryMs: 60_000,
    signal,
    async refresh() {
      const fresh = await getAuthorizationToken(clients.codeartifact, ref);
      for (const file of files) {
        await updateNpmrc(
          file,
          { scope: config.scope, registryUrl, mode: 'inline', tokenEnvVar: config.tokenEnvVar, token: fresh },
          { dryRun: false },
        );
      }
      const next = new Date(Date.now() + everyMs).toISOString();
      writeLine(
        io.stderr,
        `refreshed ${files.length} .npmrc file(s): token valid until ${fresh.expiration.toISOString()}, next refresh ${next}`,
      );
    },
    onError(error) {
      writeLine(io.stderr, `refresh failed, retrying in a minute: ${(error as Error).message}`);
    },
  });
  writeLine(io.stderr, `stopped after ${refreshed} refresh(es)`);
}
