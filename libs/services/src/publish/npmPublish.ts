import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BadGatewayError } from '@myorg/error';
import { isPublishConflict } from '../registry/RegistryError.ts';
import { writeNpmrc } from './npmrc.ts';
import type { PackageToPublish, ResolvedTarget, Uploader } from './types.ts';

const run = promisify(execFile);
export const PUBLISH_TIMEOUT_MS = 5 * 60_000;
const MAX_REASON_CHARS = 600;

/**
 * npm settings inherited through `npm_config_*` (set by `npm run`, `npx` and CI images) outrank a
 * userconfig file, so they could send the package elsewhere: the child gets none of them. Nor the
 * job's id-token request variables: npm 11.5+ would replace the token it is given by one of its
 * own exchange (and try provenance for a public repository).
 */
function publishEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^(npm_config_|ACTIONS_ID_TOKEN_REQUEST_)/i.test(key)),
  );
}

/**
 * The first of npm's own `npm error …` lines after the code line: the one that says what went
 * wrong (later lines are generic advice). npm repeats an HTTP status before its message.
 */
function npmErrorText(output: string): string {
  const line = output
    .split('\n')
    .filter((text) => text.startsWith('npm error ') && !text.startsWith('npm error code '))
    .map((text) =>
      text
        .slice('npm error '.length)
        .replace(/^\d{3} (?=\d{3} )/, '')
        .trim(),
    )
    .find((text) => text !== '' && !/complete log of this run/i.test(text));
  return (line ?? '').slice(0, MAX_REASON_CHARS);
}

/** Runs `npm <args>` for one package against one target and answers its stdout; fails as npm's own error output shows. */
export type NpmRunner = (args: string[]) => Promise<string>;

/**
 * Runs `use` with a throw-away folder and an `npm` that talks to the target only: registry and
 * token live in a userconfig there (never on the command line, where process listings would show
 * the token), and npm runs outside the workspace, so no project .npmrc is read. The folder goes
 * when `use` ends.
 */
export async function withNpm<T>(
  pkg: PackageToPublish,
  target: ResolvedTarget,
  use: (npm: NpmRunner, work: string) => Promise<T>,
): Promise<T> {
  const work = await mkdtemp(join(tmpdir(), 'myorg-publish-'));
  try {
    const userconfig = join(work, 'npmrc');
    // A scoped registry line, because a global `@scope:registry` would outrank `--registry`.
    const scope = pkg.name.startsWith('@') ? pkg.name.slice(0, pkg.name.indexOf('/')) : undefined;
    await writeNpmrc(userconfig, {
      ...(scope === undefined ? {} : { scope }),
      registryUrl: target.registryUrl,
      ...(target.token === undefined ? {} : { token: target.token }),
    });
    const npm: NpmRunner = async (args) => {
      const { stdout } = await run(
        'npm',
        [...args, '--registry', target.registryUrl, '--userconfig', userconfig],
        {
          cwd: work,
          env: publishEnv(process.env),
          timeout: PUBLISH_TIMEOUT_MS,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      return stdout;
    };
    return await use(npm, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A failed `npm <command>` as a 502 with npm's error code and the line that says what went wrong. */
export function npmFailure(command: string, error: unknown): BadGatewayError {
  const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
  const output = `${stderr}\n${stdout}`;
  const code = /^npm error code (\S+)/m.exec(output)?.[1];
  const reason = npmErrorText(output) || (error as Error).message;
  return new BadGatewayError(`npm ${command} failed: ${reason}`, { code: code ?? 'EPUBLISH', cause: error });
}

/**
 * Publishes with the real `npm publish <dir>`, so npm's packing, `files` and `publishConfig` rules
 * apply. A refusal because the version exists (E409, EPUBLISHCONFLICT, npm's "cannot publish
 * over") means another run got there first.
 */
export const npmPublish: Uploader = (pkg, target, { tag }) =>
  withNpm(pkg, target, async (npm) => {
    try {
      await npm(['publish', pkg.dir, '--tag', tag]);
      return 'published';
    } catch (error) {
      const failure = npmFailure('publish', error);
      if (isPublishConflict(failure)) return 'already-published';
      throw failure;
    }
  });
