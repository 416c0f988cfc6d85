import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const appRoot = join(import.meta.dirname, '..');
let directory: string;
let child: ChildProcessWithoutNullStreams | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'registry-main-'));
});

afterEach(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  await rm(directory, { recursive: true, force: true });
});

/** Starts src/main.ts as `nx serve registry` does. */
function serve(env: Record<string, string>): ChildProcessWithoutNullStreams {
  child = spawn(process.execPath, ['--conditions=@myorg/source', 'src/main.ts'], {
    cwd: appRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  return child;
}

function exited(process: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => process.once('exit', (code) => resolve(code)));
}

/** Resolves with the four banner lines once they are all out. */
function bannerOf(process: ChildProcessWithoutNullStreams): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let output = '';
    process.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      if (lines.length > 4) resolve(lines.slice(0, 4));
    });
    process.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

describe('main', () => {
  it('prints the banner, serves, and stops cleanly on SIGTERM', async () => {
    // Prepare
    const server = serve({ PORT: '0', REGISTRY_STORAGE: pathToFileURL(directory).href });
    const [listening] = await bannerOf(server);
    const url = /listening on (http:\/\/\S+\/)$/.exec(listening!)![1]!;

    // Act
    const ping = await fetch(`${url}-/ping`);
    const exit = exited(server);
    server.kill('SIGTERM');

    // Assess
    expect(ping.status).toBe(200);
    expect(await exit).toBe(0);
  });

  it('exits with the configuration error and no stack trace', async () => {
    // Prepare
    const server = serve({ PORT: '-1', REGISTRY_STORAGE: 'nowhere' });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Act
    const code = await exited(server);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/^invalid registry configuration: PORT: .*; REGISTRY_STORAGE: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
