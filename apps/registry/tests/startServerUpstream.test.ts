import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { noopLogger } from '@myorg/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/startServer.ts';
import { publishBody } from './e2e/support/fixtures.ts';

let directory: string;
const servers: RunningServer[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'registry-upstream-'));
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await rm(directory, { recursive: true, force: true });
});

/** A server open to sign-ups and anonymous reads: the proxy reads its upstream without a token. */
async function start(env: Record<string, string>, defaultUpstream?: string): Promise<RunningServer> {
  const storage = pathToFileURL(await mkdtemp(join(directory, 'data-'))).href;
  const server = await startServer(
    {
      PORT: '0',
      REGISTRY_STORAGE: storage,
      REGISTRY_ALLOW_REGISTRATION: 'true',
      REGISTRY_PUBLIC_READ: 'true',
      ...env,
    },
    { workspaceRoot: directory, logger: noopLogger, defaultUpstream },
  );
  servers.push(server);
  return server;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('startServer with an upstream', () => {
  it('proxies REGISTRY_UPSTREAM and names it, without credentials, in the banner', async () => {
    // Prepare
    const upstream = await start({ REGISTRY_UPSTREAM: 'none' });
    const signUp = await fetch(`${upstream.url}-/user/org.couchdb.user:alice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'correct horse battery', email: 'alice@example.test' }),
    });
    const { token } = (await signUp.json()) as { token: string };
    await fetch(`${upstream.url}left-pad`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(await publishBody('left-pad', '1.0.0')),
    });
    const withCredentials = new URL(upstream.url);
    withCredentials.username = 'mirror';
    withCredentials.password = 'secret';

    // Act
    const proxy = await start({ REGISTRY_UPSTREAM: withCredentials.href, REGISTRY_PRIVATE_SCOPES: '@myorg' });
    const proxied = await fetch(`${proxy.url}left-pad`);

    // Assess
    expect(proxy.upstream).toBe(withCredentials.href);
    expect(proxy.banner.split('\n')[4]).toBe(`upstream: ${upstream.url}`);
    expect(proxy.banner).not.toContain('secret');
    expect(proxied.status).toBe(200);
    expect(((await proxied.json()) as { versions: Record<string, unknown> }).versions).toHaveProperty(
      '1.0.0',
    );
  });

  it('takes the default upstream when REGISTRY_UPSTREAM is unset, and none when it says none', async () => {
    // Act
    const defaulted = await start({}, 'http://127.0.0.1:9/mirror/');
    const none = await start({ REGISTRY_UPSTREAM: 'none' }, 'http://127.0.0.1:9/mirror/');

    // Assess
    expect(defaulted.upstream).toBe('http://127.0.0.1:9/mirror/');
    expect(defaulted.banner.split('\n')[4]).toBe('upstream: http://127.0.0.1:9/mirror/');
    expect(none.upstream).toBeUndefined();
    expect(none.banner.split('\n')[4]).toBe('upstream: none');
  });

  it('never proxies itself, by listening address or public URL', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const byAddress = await start({ PORT: String(port) }, `http://localhost:${port}/`);
    const byPublicUrl = await start({
      REGISTRY_PUBLIC_URL: 'https://npm.example.test/registry',
      REGISTRY_UPSTREAM: 'https://npm.example.test/',
    });
    const missing = await fetch(`${byAddress.url}no-such-package`);

    // Assess
    expect(byAddress.upstream).toBeUndefined();
    expect(byPublicUrl.upstream).toBeUndefined();
    expect(missing.status).toBe(404);
  });
});
