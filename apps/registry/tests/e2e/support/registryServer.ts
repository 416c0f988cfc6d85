import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStorage, directoryStorage, type StorageBackend, type TestStorage } from './testStorage.ts';

/** The workspace root: the server runs from there, as `nx serve registry` runs it. */
export const workspaceRoot = resolve(import.meta.dirname, '../../../../..');

const banner = /myorg registry listening on (http:\/\/\S+)/;
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;
/** Server output kept for failure messages; older output is dropped so a chatty server cannot eat memory. */
const keptOutputChars = 64 * 1024;

export interface StartOptions {
  /**
   * Storage to serve, shared with another server or kept across a restart (its creator removes it).
   * When omitted, a fresh one of `backend` that `stop` removes.
   */
  storage?: TestStorage;
  /** The backend of a fresh storage; the run's (`E2E_STORAGE`) when omitted. */
  backend?: StorageBackend;
  /**
   * `open` (the default here): `npm adduser` creates users and reads need no token, which most
   * protocol tests rely on. `default`: the settings as shipped (neither), for tests of access itself.
   */
  access?: 'open' | 'default';
  /** Extra environment, such as REGISTRY_MAX_BODY; it wins over `access`. */
  env?: Record<string, string>;
  /** Arguments after `main.ts`, as `nx serve registry -- <args>` passes them. */
  args?: string[];
}

/** The settings that open a registry to sign-ups and anonymous reads. */
export const OPEN_ACCESS = { REGISTRY_ALLOW_REGISTRATION: 'true', REGISTRY_PUBLIC_READ: 'true' };

export interface RegistryServer {
  /** Base URL with a trailing slash, as npm expects in `registry=`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly storage: TestStorage;
  /** What the server printed (stdout and stderr, interleaved), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it does not stop in time; resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, as a crash would: no chance to flush or clean up. */
  kill(): Promise<void>;
  /** Resolves when the process has ended, however it ended. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * E2E_BUNDLES=true: the registry and `myorg-admin` run from their built bundles (`dist/main.js`, as
 * `npm start` runs the registry), which start on a third of the CPU of the sources (one file, no
 * type stripping); that adds up over a hundred starts. `test` sets it, as it builds both first; a
 * bare `vitest run` runs the sources, never a stale build.
 */
export const fromBundles = process.env.E2E_BUNDLES === 'true';

/**
 * The registry process every e2e test runs, given `args`: `apps/registry/src/main.ts` exactly as
 * documented (Node 24 with the `@myorg/source` condition), or its bundle (`fromBundles`). The one
 * place that chooses it.
 */
function serverCommand(args: readonly string[]): string[] {
  const entry = fromBundles
    ? ['--max-semi-space-size=4', 'apps/registry/dist/main.js']
    : ['--conditions=@myorg/source', 'apps/registry/src/main.ts'];
  // E2E_TRANSPORT=lambda: the built Lambda bundle behind the local API Gateway stand-in.
  const transport = process.env.E2E_TRANSPORT === 'lambda' && !args.includes('--lambda') ? ['--lambda'] : [];
  return [...entry, ...transport, ...args];
}

/**
 * Starts the registry on a random port over `options.storage` (or a fresh storage), and resolves
 * once the banner names the URL it listens on.
 */
export async function startRegistry(options: StartOptions = {}): Promise<RegistryServer> {
  const ownsStorage = options.storage === undefined;
  const storage = options.storage ?? (await createStorage(options.backend));
  const child = spawn(process.execPath, serverCommand(options.args ?? []), {
    cwd: workspaceRoot,
    env: serverEnv(storage, {
      ...(options.access === 'default' ? {} : OPEN_ACCESS),
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = drained(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );

  const url = await waitForBanner(child, output, exited).catch(async (error: unknown) => {
    if (ownsStorage) await storage.remove();
    throw error;
  });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    pid: child.pid ?? -1,
    storage,
    output,
    async stop() {
      const result = await terminate(child, exited);
      if (ownsStorage) await storage.remove();
      return result;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exited: () => exited,
  };
}

/**
 * What the child prints (stdout and stderr, interleaved), its latest part. Both pipes are always
 * drained: a full pipe would block the server's writes.
 */
function drained(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keptOutputChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved. */
  output: string;
}

/**
 * `npx nx serve registry` at the workspace root, for a start that must fail: resolves once Nx has
 * exited (it is killed if the registry serves after all). The Nx task state of the run that started
 * this test stays out, so the inner Nx plans its own run. `--exclude-task-dependencies`: the `build`
 * that `serve` depends on is done (`test` depends on it too), and an Nx without its daemon would
 * restore it from the cache anyway, replacing dist/ under the registries other files run from it.
 */
export async function nxServeRegistry(env: Record<string, string>): Promise<Ended> {
  const storageDir = await mkdtemp(join(tmpdir(), 'registry-e2e-storage-'));
  const inherited = Object.entries(serverEnv(directoryStorage(storageDir), env)).filter(
    ([key]) => !key.startsWith('NX_'),
  );
  const child = spawn(
    join(workspaceRoot, 'node_modules', '.bin', 'nx'),
    ['serve', 'registry', '--exclude-task-dependencies'],
    {
      cwd: workspaceRoot,
      env: { ...Object.fromEntries(inherited), NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = drained(child);
  const listening = setInterval(() => {
    if (banner.test(output())) child.kill('SIGTERM');
  }, 200);
  try {
    return await new Promise<Ended>((done) =>
      child.once('exit', (code, signal) => done({ code, signal, output: output() })),
    );
  } finally {
    clearInterval(listening);
    await rm(storageDir, { recursive: true, force: true });
  }
}

function serverEnv(storage: TestStorage, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Registry settings of the parent (a developer's shell, npm or vitest) must not reach the server
  // under test: it runs as `nx serve registry` would.
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(REGISTRY_|PORT$|HOST$|LOG_LEVEL$|npm_|NODE_ENV$|NODE_OPTIONS$|VITEST)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    ...storage.env,
    REGISTRY_STORAGE: storage.url,
    REGISTRY_AUTH: 'local',
    REGISTRY_UPSTREAM: 'none',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function waitForBanner(
  child: ChildProcess,
  output: () => string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
): Promise<string> {
  return await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`registry did not print its banner within ${startTimeoutMs} ms:\n${output()}`));
    }, startTimeoutMs);
    const check = () => {
      const match = banner.exec(output());
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      done(match[1]);
    };
    child.stdout?.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`registry exited before listening (code ${code}, signal ${signal}):\n${output()}`));
    });
  });
}

async function terminate(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return await exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
