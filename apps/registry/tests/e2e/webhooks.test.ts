import { rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DeliveryRecord, SIGNATURE_HEADER, verifyWebhook } from '@myorg/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './support/adminCli.ts';
import { tempDir, writePackage } from './support/fixtures.ts';
import { createUser } from './support/httpClient.ts';
import { createNpmClient, type NpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { createStorage, type TestStorage } from './support/testStorage.ts';

const SECRET = 'e2e-webhook-secret-0123456789';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A receiver on loopback: `/flaky` answers 500 to its first request and 200 after, `/broken` always
 * 500, `/hang` never answers.
 */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  hanging: ServerResponse[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  let flakyCalls = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url === '/hang') {
        hanging.push(res);
        return;
      }
      const ok = req.url === '/flaky' && flakyCalls++ > 0;
      res.writeHead(ok ? 200 : 500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    hanging,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Webhooks added with the real `myorg-admin hooks add`, fired by the real npm CLI's publishes: a
 * signed POST reaches a loopback receiver, a refused one is retried and logged, and a receiver that
 * never answers does not slow the publish.
 */
describe('webhooks', { timeout: 180_000 }, () => {
  let storage: TestStorage;
  let server: RegistryServer;
  let client: NpmClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let work: string;
  serverOutputOnFailure(() => [server]);

  const addHook = async (target: string, path: string) => {
    const added = await runAdmin(
      storage,
      ['hooks', 'add', target, `${receiver.url}${path}`, '--storage', storage.url, '--secret-stdin'],
      `${SECRET}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout, 'a secret read from stdin is not printed').not.toContain(SECRET);
  };
  const publish = async (name: string, version = '1.0.0') => {
    const started = performance.now();
    await client.npmOk(['publish'], { cwd: await writePackage(work, { name, version }) });
    return performance.now() - started;
  };
  const hooksLs = async () => {
    const listed = await runAdmin(storage, ['hooks', 'ls', '--json', '--storage', storage.url]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(SECRET);
    return JSON.parse(listed.stdout) as { target: string; deliveries: DeliveryRecord[] }[];
  };

  /** The delivery log of the hook for `target`, once it holds a delivery (as `hooks ls` shows it). */
  const deliveriesOf = async (target: string) => {
    const deadline = Date.now() + 40_000;
    for (;;) {
      const deliveries = (await hooksLs()).find((hook) => hook.target === target)?.deliveries ?? [];
      if (deliveries.length > 0 || Date.now() > deadline) return deliveries;
      await sleep(250);
    }
  };

  beforeAll(async () => {
    storage = await createStorage();
    receiver = await startReceiver();
    work = await tempDir('webhooks');
    await addHook('e2e-hooked', '/flaky');
    await addHook('@e2e-broken', '/broken');
    await addHook('e2e-slow', '/hang');
    server = await startRegistry({ storage });
    client = await createNpmClient(server.url);
    await client.setToken(await createUser(server, 'publisher'));
  }, 60_000);

  afterAll(async () => {
    await client?.remove();
    await server?.stop();
    await receiver?.close();
    await storage?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('POSTs a signed event, retries a refused delivery, and logs it delivered', async () => {
    // Act
    await publish('e2e-hooked');
    const calls = await until('a retried delivery', () => {
      const flaky = receiver.received.filter((call) => call.path === '/flaky');
      return flaky.length >= 2 ? flaky : undefined;
    });
    const deliveries = await deliveriesOf('e2e-hooked');

    // Assess
    for (const call of calls) {
      const signature = call.headers[SIGNATURE_HEADER] as string | undefined;
      expect(verifyWebhook(call.body, SECRET, signature)).toBe(true);
      expect(verifyWebhook(call.body, 'another secret', signature)).toBe(false);
      expect(JSON.parse(call.body)).toMatchObject({
        action: 'publish',
        outcome: 'ok',
        actor: 'publisher',
        package: 'e2e-hooked',
        version: '1.0.0',
      });
      // The client's address stays in the audit trail.
      expect(call.body).not.toContain('127.0.0.1');
    }
    expect(deliveries).toMatchObject([
      { action: 'publish', package: 'e2e-hooked', outcome: 'delivered', attempts: 2, result: '200' },
    ]);
  });

  it('gives up on a receiver that keeps failing after a bounded number of attempts, and logs it', async () => {
    // Act: the attempts are counted at the receiver, as each `hooks ls` costs a Node process that
    // loads the whole CLI (seconds of CPU), and the backoff takes 14 s.
    await publish('@e2e-broken/pkg');
    await until(
      'four attempts',
      () => (receiver.received.filter((call) => call.path === '/broken').length >= 4 ? true : undefined),
      40_000,
    );
    const deliveries = await deliveriesOf('@e2e-broken');

    // Assess
    expect(deliveries).toMatchObject([
      { package: '@e2e-broken/pkg', outcome: 'failed', attempts: 4, result: '500' },
    ]);
    expect(receiver.received.filter((call) => call.path === '/broken')).toHaveLength(4);
  });

  it('publishes as fast with a receiver that never answers as without a hook', async () => {
    // Act
    const without = await publish('e2e-unhooked');
    const withDeadHook = await publish('e2e-slow');

    // Assess
    // The publish has answered, and its webhook is still waiting for the receiver.
    await until('the hanging delivery', () => (receiver.hanging.length > 0 ? true : undefined));
    expect(receiver.hanging.every((response) => !response.writableEnded)).toBe(true);
    expect(withDeadHook).toBeLessThan(without + 2000);
  });
});
