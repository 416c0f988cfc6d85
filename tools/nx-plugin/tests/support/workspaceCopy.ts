import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const COMMAND_TIMEOUT_MS = 10 * 60_000;

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface WorkspaceCopy {
  root: string;
  /** Environment for commands in the copy: Node 24 first on PATH, no inherited Nx task state. */
  env: NodeJS.ProcessEnv;
  run(command: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CommandResult>;
  git(...args: string[]): Promise<string>;
}

/**
 * The environment of the test minus what would leak into the copy's commands: the Nx task state
 * of the Nx run that started this test (NX_TASK_*, NX_WORKSPACE_ROOT, …) and npm's per-script
 * settings. Nx runs without daemon or cloud.
 */
function childEnv(root: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(NX_|npm_config_|npm_lifecycle_|npm_package_|INIT_CWD$)/i.test(key),
    ),
  );
  return {
    ...env,
    PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    // The same plugins loaded in the Nx process instead of one worker process each: a third of the
    // CPU of every Nx command, and the flow runs a dozen.
    NX_ISOLATE_PLUGINS: 'false',
    FORCE_COLOR: '0',
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release-test@myorg.local',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release-test@myorg.local',
  };
}

async function workspacePackages(root: string): Promise<Map<string, string>> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const packages = new Map<string, string>();
  for (const pattern of manifest.workspaces.filter((glob) => glob.endsWith('/*') && !glob.startsWith('!'))) {
    const parent = join(root, pattern.slice(0, -2));
    for (const entry of await readdir(parent, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory()) continue;
      const dir = join(parent, entry.name);
      const pkg = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
      if (pkg) packages.set((JSON.parse(pkg) as { name: string }).name, dir);
    }
  }
  return packages;
}

/**
 * Links the source workspace's installed packages into the copy instead of reinstalling: every
 * root `node_modules` entry and every package's own nested dependencies point at the original,
 * while the `@myorg/*` workspace links point at the copy's own folders, so the copy builds and
 * publishes its own sources.
 */
async function linkNodeModules(source: string, root: string): Promise<void> {
  const target = join(root, 'node_modules');
  await mkdir(join(target, '@myorg'), { recursive: true });
  for (const entry of await readdir(join(source, 'node_modules'))) {
    if (entry !== '@myorg') await symlink(join(source, 'node_modules', entry), join(target, entry));
  }
  for (const [name, dir] of await workspacePackages(root)) {
    await symlink(dir, join(target, name));
    const nested = join(source, dir.slice(root.length), 'node_modules');
    for (const entry of await readdir(nested).catch(() => [])) {
      if (entry.startsWith('.')) continue;
      await mkdir(join(dir, 'node_modules'), { recursive: true });
      await symlink(join(nested, entry), join(dir, 'node_modules', entry));
    }
  }
}

/**
 * Copies the workspace's files (tracked, plus untracked ones git does not ignore) into `root`,
 * links its node_modules, and commits everything as the first commit of a new git repo on `main`.
 */
export async function copyWorkspace(source: string, root: string): Promise<WorkspaceCopy> {
  const { stdout } = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: source,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = [...new Set(stdout.split('\0'))].filter((file) => file !== '');
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    // A tracked file deleted in the working tree is simply left out.
    await cp(join(source, file), join(root, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await linkNodeModules(source, root);

  const env = childEnv(root);
  const run = async (command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const { stdout: out, stderr } = await exec(command, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      maxBuffer: 64 * 1024 * 1024,
      // Outlive no test: a command still running after its test timed out would race the next one.
      timeout: COMMAND_TIMEOUT_MS,
    });
    return { stdout: out, stderr };
  };
  const git = async (...args: string[]) => (await run('git', args)).stdout.trim();
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'Workspace as copied');
  return { root, env, run, git };
}
