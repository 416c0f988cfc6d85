import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { tempDir } from './fixtures.ts';
import { workspaceRoot } from './registryServer.ts';

const commandTimeoutMs = 180_000;
const pnpmBin = join(workspaceRoot, 'node_modules', '.bin', 'pnpm');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Sees the output so far as it grows: for a test that acts on what the command prints (a login URL). */
  onStdout?: (stdout: string) => void;
}

/** A prompt the command prints (ANSI codes removed) and the line to type when it appears. */
export type Answer = readonly [prompt: RegExp, reply: string];

export interface NpmClient {
  /** The client's own folder: home, npm user config, cache, pnpm store. */
  readonly home: string;
  readonly userconfig: string;
  readonly registryUrl: string;
  /** Runs the real npm CLI with this client's config; never throws on a non-zero exit. */
  npm(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Runs npm and throws with the full output unless it exits 0. */
  npmOk(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Runs pnpm (installed from npm in the workspace) with the same isolation. */
  pnpm(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Runs npm in a pseudo-terminal and types each reply when its prompt appears (login, adduser). */
  npmInteractive(
    args: readonly string[],
    answers: readonly Answer[],
    options?: RunOptions,
  ): Promise<CommandResult>;
  /** Writes (or, with undefined, removes) the registry token in the user config. */
  setToken(token: string | undefined): Promise<void>;
  /** The registry token npm saved in the user config, if any. */
  savedToken(): Promise<string | undefined>;
  remove(): Promise<void>;
}

/**
 * An npm/pnpm user with a private home, user config and cache pointing at one registry, so
 * nothing from the developer's ~/.npmrc, global config or inherited `npm_config_*` leaks in.
 */
export async function createNpmClient(registryUrl: string): Promise<NpmClient> {
  const home = await tempDir('client');
  const userconfig = join(home, '.npmrc');
  const globalconfig = join(home, 'global-npmrc');
  const cache = join(home, 'cache');
  const authKey = `${registryUrl.replace(/^https?:/, '')}:_authToken`;
  const baseConfig = [`registry=${registryUrl}`, 'update-notifier=false', 'fund=false', 'audit=false'];
  await mkdir(cache, { recursive: true });
  await writeFile(userconfig, `${baseConfig.join('\n')}\n`);
  await writeFile(globalconfig, '');

  const env = clientEnv(home, { registryUrl, userconfig, globalconfig, cache });
  const npmArgs = (args: readonly string[]) => [...args, '--userconfig', userconfig, '--cache', cache];
  const run = (command: string, args: readonly string[], options: RunOptions = {}) =>
    runCommand(command, args, {
      cwd: options.cwd ?? home,
      env: { ...env, ...options.env },
      watch: options.onStdout,
    });

  const client: NpmClient = {
    home,
    userconfig,
    registryUrl,
    npm: (args, options) => run('npm', npmArgs(args), options),
    async npmOk(args, options) {
      const result = await client.npm(args, options);
      if (result.code !== 0) throw new Error(describeFailure(`npm ${args.join(' ')}`, result));
      return result;
    },
    pnpm: (args, options) => run(pnpmBin, args, options),
    npmInteractive: (args, answers, options = {}) =>
      runInTerminal(['npm', ...npmArgs(args)], answers, {
        cwd: options.cwd ?? home,
        env: { ...env, ...options.env },
      }),
    async setToken(token) {
      const lines = (await readFile(userconfig, 'utf8'))
        .split('\n')
        .filter((line) => line && !line.startsWith(authKey));
      if (token) lines.push(`${authKey}=${token}`);
      await writeFile(userconfig, `${lines.join('\n')}\n`);
    },
    async savedToken() {
      const line = (await readFile(userconfig, 'utf8'))
        .split('\n')
        .find((entry) => entry.startsWith(`${authKey}=`));
      return line?.slice(authKey.length + 1);
    },
    remove: () => rm(home, { recursive: true, force: true }),
  };
  return client;
}

function clientEnv(
  home: string,
  config: { registryUrl: string; userconfig: string; globalconfig: string; cache: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  // npm sets npm_config_* (and npm_package_*, npm_lifecycle_*) for scripts it runs, vitest included:
  // inherited, they would override this client's config.
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|pnpm_|NODE_AUTH_TOKEN$|NPM_TOKEN$|NODE_OPTIONS$)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    // npm's shebang runs `node` from PATH: make it the Node 24 running these tests.
    PATH: [dirname(process.execPath), env.PATH ?? ''].join(delimiter),
    npm_config_registry: config.registryUrl,
    npm_config_userconfig: config.userconfig,
    npm_config_globalconfig: config.globalconfig,
    npm_config_cache: config.cache,
    npm_config_update_notifier: 'false',
    pnpm_config_store_dir: join(home, 'pnpm-store'),
    pnpm_config_cache_dir: join(home, 'pnpm-cache'),
    // pnpm skips versions younger than a day by default: everything here was published seconds ago.
    pnpm_config_minimum_release_age: '0',
    NO_COLOR: '1',
  };
}

function describeFailure(what: string, result: CommandResult): string {
  return `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/**
 * Runs a command and collects its output. `onStdout`, when given, folds each stdout chunk into the
 * output so far and may answer on stdin (which is otherwise closed at once).
 */
async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; watch?: (stdout: string) => void },
  onStdout?: (output: string, chunk: string, answer: (text: string) => void) => string,
): Promise<CommandResult> {
  return await new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Nothing to answer: the command reads end-of-file at once, as from /dev/null.
    if (onStdout === undefined) child.stdin.end();
    const answer = (text: string) => child.stdin.write(text);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stdout = onStdout === undefined ? stdout + text : onStdout(stdout, text, answer);
      options.watch?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), commandTimeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * npm reads user names and passwords from a terminal only, so this runs it under `script`, which
 * gives it a pseudo-terminal, and answers each prompt as a person would type.
 */
async function runInTerminal(
  argv: readonly string[],
  answers: readonly Answer[],
  options: { cwd: string; env: Record<string, string> },
): Promise<CommandResult> {
  const pending = [...answers];
  const script = ['-qfec', argv.map(shellQuote).join(' '), '/dev/null'];
  return await runCommand('script', script, options, (output, chunk, answer) => {
    let screen = output + chunk.replace(ansi, '');
    const next = pending[0];
    if (next?.[0].test(screen)) {
      pending.shift();
      // Later prompts must match text printed after this answer, not this prompt again.
      screen += '\n';
      answer(`${next[1]}\r`);
    }
    return screen;
  });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
