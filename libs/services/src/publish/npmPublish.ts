import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BadGatewayError } from '@myorg/error';
import { isPublishConflict } from '../registry/RegistryError.ts';
import { writeNpmrc } from './npmrc.ts';
import type { Uploader } from './types.ts';

const run = promisify(execFile);
const PUBLISH_TIMEOUT_MS = 5 * 60_000;
const MAX_REASON_CHARS = 600;

/**
 * npm settings inherited through `npm_config_*` (set by `npm run`, `npx` and CI images) outrank a
 * userconfig file, so they could send the package elsewhere: the child gets none of them.
 */
function publishEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_/i.test(key)));
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

/**
 * Publishes with the real `npm publish <dir>`, so npm's packing, `files` and `publishConfig` rules
 * apply. Registry and token live in a throw-away userconfig (never on the command line, where
 * process listings would show the token). A refusal because the version exists (E409,
 * EPUBLISHCONFLICT, npm's "cannot publish over") means another run got there first.
 */
export const npmPublish: Uploader = async (pkg, target, { tag }) => {
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
    await run(
      'npm',
      ['publish', pkg.dir, '--tag', tag, '--registry', target.registryUrl, '--userconfig', userconfig],
      // Outside the workspace, so no project .npmrc is read.
      { cwd: work, env: publishEnv(process.env), timeout: PUBLISH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
    return 'published';
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stderr}\n${stdout}`;
    const code = /^npm error code (\S+)/m.exec(output)?.[1];
    const reason = npmErrorText(output) || (error as Error).message;
    if (isPublishConflict(Object.assign(new Error(reason), { code }))) return 'already-published';
    throw new BadGatewayError(`npm publish failed: ${reason}`, { code: code ?? 'EPUBLISH', cause: error });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
