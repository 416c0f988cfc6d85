import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startRegistryStandIn } from './registryStandIn.ts';

const appRoot = resolve(import.meta.dirname, '..');

function start(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['src/main.ts'], {
    cwd: appRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The URL from the `listening` log line. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const record = JSON.parse(line) as { msg: string; url?: string };
    if (record.msg === 'listening' && record.url) return record.url;
  }
  throw new Error('the service exited before it listened');
}

describe('npm start', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('serves a catalogue kept on disk and looks packages up in the configured registry', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'my-api-core-main-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const registry = await startRegistryStandIn({
      'left-pad': {
        name: 'left-pad',
        modified: '2030-01-01T00:00:00.000Z',
        'dist-tags': { latest: '1.3.0' },
        versions: {},
      },
    });
    cleanups.push(() => registry.close());
    const child = start({ CATALOGUE_STORAGE: pathToFileURL(dataDir).href, REGISTRY_URL: registry.url });
    cleanups.push(async () => {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    });
    const url = await listeningUrl(child);

    // Act
    const created = await fetch(`${url}/entries/left-pad`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner: 'strings' }),
    });
    const published = await fetch(`${url}/entries/left-pad/registry`);

    // Assess
    expect(created.status).toBe(201);
    expect(await published.json()).toMatchObject({ name: 'left-pad', latest: '1.3.0' });
  });

  it('refuses to start without its configuration, naming what is missing', async () => {
    // Act
    const child = start({ CATALOGUE_STORAGE: '', REGISTRY_URL: 'not a url' });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/invalid environment: CATALOGUE_STORAGE: .*; REGISTRY_URL: /);
  });
});
