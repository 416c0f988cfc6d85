import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export interface RegistryProcess {
  /** The listening URL, ending with `/`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts our registry (`apps/registry`) from source on a free loopback port, storing into
 * `storageDir`, and resolves once its banner names the URL.
 */
export async function startRegistry(workspace: string, storageDir: string): Promise<RegistryProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@myorg/source', join(workspace, 'apps/registry/src/main.ts')],
    {
      cwd: workspace,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        REGISTRY_STORAGE: pathToFileURL(storageDir).href,
        // The test signs its publisher up with adduser, and the consumers install without a token.
        REGISTRY_ALLOW_REGISTRATION: 'true',
        REGISTRY_PUBLIC_READ: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /listening on (\S+)/.exec(line)?.[1];
    if (url) return { url, stop };
  }
  await stop();
  throw new Error(`the registry exited before listening: ${stderr}`);
}

/** Signs a new user up through npm's CouchDB-style endpoint, as `npm adduser` does, and returns its token. */
export async function createUser(registryUrl: string, name: string, password: string): Promise<string> {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, registryUrl), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${name}`,
      name,
      password,
      email: `${name}@example.com`,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(`sign-up failed with ${response.status}: ${body.error}`);
  return body.token;
}
