import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

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
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('serves the example user list, so the documented demo login works', async () => {
    // Prepare
    child = start({ AUTH_USERS_FILE: 'users.example.json' });
    const url = await listeningUrl(child);

    // Act
    const response = await fetch(`${url}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery staple' }),
    });

    // Assess
    expect(response.status).toBe(201);
    expect(((await response.json()) as { user: { username: string } }).user.username).toBe('alice');
  });

  it('stops on SIGTERM', async () => {
    child = start({ AUTH_USERS_FILE: 'users.example.json' });
    await listeningUrl(child);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    expect(code).toBe(0);
  });

  it('refuses to start without a user list, naming the missing variable', async () => {
    // Act
    child = start({ AUTH_USERS_FILE: '' });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).not.toBe(0);
    expect(stderr).toContain('invalid environment: AUTH_USERS_FILE');
  });
});
