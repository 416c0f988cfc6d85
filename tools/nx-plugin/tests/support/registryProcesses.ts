import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RegistryClient } from '@myorg/services';

export interface RunningRegistry {
  label: string;
  url: string;
  /** A publish token for a user created on start. */
  token: string;
  /** Every version of `name` the registry holds, asked fresh. */
  versions(name: string): Promise<string[]>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** Spawns a server and resolves with the URL from its `listening on <url>` line. */
function startServer(
  label: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${label} did not start in time:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1].endsWith('/') ? match[1] : `${match[1]}/` });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before listening:\n${output}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s: a server that ignores SIGTERM must not keep the test run alive. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Creates a user the way `npm adduser` does and returns its token. */
async function addUser(url: string): Promise<string> {
  const name = 'release-bot';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${name}`,
      name,
      password: 'release-bot-password-1',
      email: 'release-bot@myorg.local',
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token)
    throw new Error(`adduser on ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.token;
}

async function running(label: string, child: ChildProcess, url: string): Promise<RunningRegistry> {
  const token = await addUser(url);
  const client = new RegistryClient({ registry: url, token });
  return {
    label,
    url,
    token,
    async versions(name) {
      const found = await client.getPackument(name);
      return found?.status === 200 ? Object.keys(found.document().versions ?? {}).sort() : [];
    },
    stop: () => stopChild(child),
  };
}

/**
 * Our registry from the workspace sources, with file storage under `storage` and no upstream, open
 * to sign-ups and anonymous reads as the release flow's tests expect of a registry.
 */
export async function startOurRegistry(workspace: string, storage: string): Promise<RunningRegistry> {
  const { child, url } = await startServer(
    'our registry',
    ['--conditions=@myorg/source', 'apps/registry/src/main.ts'],
    {
      cwd: workspace,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        REGISTRY_STORAGE: `file://${storage}`,
        REGISTRY_UPSTREAM: 'none',
        REGISTRY_ALLOW_REGISTRATION: 'true',
        REGISTRY_PUBLIC_READ: 'true',
      },
    },
  );
  return running('our registry', child, url);
}

/** Verdaccio in its own process, with storage under `storage` and no uplinks. */
export async function startVerdaccio(storage: string): Promise<RunningRegistry> {
  const { child, url } = await startServer(
    'Verdaccio',
    [join(import.meta.dirname, 'verdaccioServer.ts'), storage],
    {},
  );
  return running('Verdaccio', child, url);
}

/** The CodeArtifact stand-in mode of our registry (`nx serve registry --codeartifact`). */
export async function startCodeArtifactStandIn(
  workspace: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const { child, url } = await startServer(
    'CodeArtifact stand-in',
    ['--conditions=@myorg/source', 'apps/registry/src/main.ts', '--codeartifact'],
    { cwd: workspace, env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' } },
  );
  return { url, stop: () => stopChild(child) };
}
