import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { noopLogger } from '@myorg/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/startServer.ts';

let directory: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'registry-server-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(directory, { recursive: true, force: true });
});

function start(env: Record<string, string> = {}) {
  return startServer(
    { PORT: '0', REGISTRY_STORAGE: pathToFileURL(join(directory, 'data')).href, ...env },
    { workspaceRoot: directory, logger: noopLogger },
  );
}

describe('startServer', () => {
  it('listens on a free port and prints the banner contract', async () => {
    // Act
    server = await start();

    // Assess
    const [listening, storage, useIt, signIn, , reads, newUsers] = server.banner.split('\n');
    const storageUrl = pathToFileURL(join(directory, 'data')).href;
    expect(listening).toMatch(/^myorg registry listening on http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(listening).toBe(`myorg registry listening on ${server.url}`);
    expect(storage).toBe(`storage: ${storageUrl}`);
    expect(useIt).toBe(`use it:  npm config set registry ${server.url}`);
    expect(signIn).toBe(`sign in: npm login --registry ${server.url}`);
    expect(reads).toBe(
      'reads:   need a token from `npm login` (REGISTRY_PUBLIC_READ=true opens them to anyone)',
    );
    expect(newUsers).toContain(
      `new users: an administrator runs \`npx myorg-admin user add <name> --email <address> --storage ${storageUrl}\``,
    );
    expect((await fetch(`${server.url}-/ping`)).status).toBe(200);
  });

  it('is closed by default: anonymous reads get 401 and adduser of a new user 403', async () => {
    // Prepare
    server = await start();

    // Act
    const read = await fetch(`${server.url}demo`);
    const signUp = await fetch(`${server.url}-/user/org.couchdb.user:alice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'correct horse battery', email: 'alice@example.test' }),
    });

    // Assess
    expect(read.status).toBe(401);
    expect(signUp.status).toBe(403);
  });

  it('says in the banner that npm adduser works when registration is open', async () => {
    // Act
    server = await start({ REGISTRY_ALLOW_REGISTRATION: 'true', REGISTRY_PUBLIC_READ: 'true' });

    // Assess
    const lines = server.banner.split('\n');
    expect(lines[3]).toBe(`sign in: npm adduser --registry ${server.url}`);
    expect(lines[5]).toBe('reads:   open to anyone (REGISTRY_PUBLIC_READ=true)');
    expect(lines[6]).toBe('new users: `npm adduser` creates an account (REGISTRY_ALLOW_REGISTRATION=true)');
  });

  it('keeps its data under <workspace>/data by default', async () => {
    // Act
    server = await startServer({ PORT: '0' }, { workspaceRoot: directory, logger: noopLogger });

    // Assess
    expect(server.config.storage).toBe(pathToFileURL(join(directory, 'data')).href);
  });

  it('names the public URL in the commands when one is configured', async () => {
    // Act
    server = await start({ REGISTRY_PUBLIC_URL: 'https://npm.example.test/registry' });

    // Assess
    expect(server.banner).toContain('use it:  npm config set registry https://npm.example.test/registry/');
  });

  it('signs a user up with local auth and refuses anonymous writes', async () => {
    // Prepare
    server = await start({ REGISTRY_ALLOW_REGISTRATION: 'true' });
    const signUp = await fetch(`${server.url}-/user/org.couchdb.user:alice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'correct horse battery', email: 'alice@example.test' }),
    });
    const { token } = (await signUp.json()) as { token: string };

    // Act
    const anonymous = await fetch(`${server.url}demo`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const whoami = await fetch(`${server.url}-/whoami`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    expect(signUp.status).toBe(201);
    expect(anonymous.status).toBe(401);
    expect(await whoami.json()).toEqual({ username: 'alice' });
  });

  it('holds idle keep-alive connections longer than the 60 s idle timeout of load balancers', async () => {
    // Prepare
    server = await start();

    // Act
    const keepAlive = await new Promise<string | string[] | undefined>((resolve, reject) => {
      get(`${server?.url}-/ping`, (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers['keep-alive']));
      }).on('error', reject);
    });

    // Assess: what the server advertises is what it holds (Node derives one from the other)
    expect(keepAlive).toBe('timeout=65');
  });

  it('refuses a bad configuration before listening, naming every bad variable', async () => {
    await expect(start({ PORT: 'eighty', REGISTRY_MAX_BODY: 'huge' })).rejects.toThrow(
      /invalid registry configuration: .*PORT: .*REGISTRY_MAX_BODY: /,
    );
  });

  it('reports a port that is taken, in words main.ts shows', async () => {
    // Prepare
    server = await start();
    const port = new URL(server.url).port;

    // Act
    const failure = await start({ PORT: port }).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toMatchObject({ code: 'EADDRINUSE', expose: true });
    expect(String(failure)).toMatch(
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
    );
  });
});
