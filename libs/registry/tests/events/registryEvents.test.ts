import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopLogger } from '@myorg/logger';
import { MemoryStorage } from '@myorg/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistryEvents } from '../../src/events/createRegistryEvents.ts';
import { type EventSink, type RegistryEvent, RegistryEvents } from '../../src/events/RegistryEvents.ts';
import { addHook, readHooks, recentDeliveries } from '../../src/events/webhooks/hooks.ts';
import { SIGNATURE_HEADER, verifyWebhook } from '../../src/events/webhooks/signWebhook.ts';
import { Webhooks } from '../../src/events/webhooks/Webhooks.ts';
import { publishBody } from '../support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { OTHER_WRITER_TOKEN, READER_TOKEN, WRITER_TOKEN } from '../support/testAuth.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A registry whose events go to the audit log in its storage, with `rita` (read-only) as its administrator. */
async function auditedRegistry(
  publicRead = true,
): Promise<{ registry: TestRegistry; events: RegistryEvents }> {
  const storage = new MemoryStorage();
  const events = createRegistryEvents(storage, noopLogger);
  const registry = await startRegistry({ storage, events, publicRead, access: { admins: ['rita'] } });
  cleanups.push(
    () => registry.close(),
    () => events.close(),
  );
  return { registry, events };
}

describe('the audit trail of a registry', () => {
  it('records a publish and a refusal, and shows them to administrators only', async () => {
    // Prepare
    const { registry, events } = await auditedRegistry();
    await publish(registry, publishBody('audited', '1.0.0'));
    await publish(registry, publishBody('audited', '1.0.1'), OTHER_WRITER_TOKEN);
    await events.flush();

    // Act
    const page = await registry.request('/-/audit?package=audited', { token: READER_TOKEN });
    const refused = await registry.request('/-/audit', { token: WRITER_TOKEN });
    const anonymous = await registry.request('/-/audit');
    const badLimit = await registry.request('/-/audit?limit=1001', { token: READER_TOKEN });
    const badCursor = await registry.request('/-/audit?cursor=packuments/a.json', { token: READER_TOKEN });
    const badSince = await registry.request('/-/audit?since=soon', { token: READER_TOKEN });
    const since = await registry.request('/-/audit?since=1h&user=ALICE&package=audited', {
      token: READER_TOKEN,
    });

    // Assess
    expect(page.status).toBe(200);
    const { events: listed } = (await page.json()) as { events: RegistryEvent[] };
    expect(listed).toMatchObject([
      {
        action: 'publish',
        outcome: 'ok',
        actor: 'alice',
        package: 'audited',
        version: '1.0.0',
        address: '127.0.0.1',
      },
      { action: 'publish', outcome: 'denied', actor: 'bob', package: 'audited' },
    ]);
    expect([refused.status, anonymous.status]).toEqual([403, 401]);
    expect((await refused.json()) as unknown).toMatchObject({
      error: expect.stringMatching(/administrators/),
    });
    expect([badLimit.status, badCursor.status, badSince.status]).toEqual([400, 400, 400]);
    expect(((await since.json()) as { events: RegistryEvent[] }).events).toHaveLength(1);
  });

  it('records a refused deprecate and version unpublish as what they asked for, not as the publish they were first checked as', async () => {
    // Prepare
    const { registry, events } = await auditedRegistry();
    await publish(registry, publishBody('guarded', '1.0.0'));
    const current = (await (await registry.request('/guarded')).json()) as {
      _rev: string;
      versions: Record<string, Record<string, unknown>>;
    };
    const deprecated = {
      ...current,
      versions: { '1.0.0': { ...current.versions['1.0.0'], deprecated: 'use something else' } },
    };

    // Act: `npm deprecate` (PUT /:pkg), then `npm unpublish guarded@1.0.0` (PUT /:pkg/-rev/:rev), by a non-owner
    const deprecate = await registry.request('/guarded', {
      method: 'PUT',
      token: OTHER_WRITER_TOKEN,
      json: deprecated,
    });
    const unpublish = await registry.request(`/guarded/-rev/${current._rev}`, {
      method: 'PUT',
      token: OTHER_WRITER_TOKEN,
      json: { ...current, versions: {} },
    });
    const refusedPublish = await publish(registry, publishBody('guarded', '2.0.0'), OTHER_WRITER_TOKEN);
    await events.flush();
    const page = await registry.request('/-/audit?user=bob', { token: READER_TOKEN });

    // Assess
    expect([deprecate.status, unpublish.status, refusedPublish.status]).toEqual([403, 403, 403]);
    const { events: listed } = (await page.json()) as { events: RegistryEvent[] };
    expect(listed).toEqual([
      expect.objectContaining({ action: 'deprecate', outcome: 'denied', actor: 'bob', package: 'guarded' }),
      expect.objectContaining({ action: 'unpublish', outcome: 'denied', actor: 'bob', package: 'guarded' }),
      expect.objectContaining({ action: 'publish', outcome: 'denied', actor: 'bob', package: 'guarded' }),
    ]);
    for (const event of listed) {
      expect(event).toMatchObject({ address: '127.0.0.1', requestId: expect.any(String) });
      expect(event.detail).toMatch(/needs/);
    }
  });

  it('records an anonymous caller refused by a private registry outside package routes', async () => {
    // Prepare
    const { registry, events } = await auditedRegistry(false);

    // Act
    const refused = await registry.request('/-/v1/search?text=secret');
    await events.flush();
    const page = await registry.request('/-/audit', { token: READER_TOKEN });

    // Assess
    expect(refused.status).toBe(401);
    const { events: listed } = (await page.json()) as { events: RegistryEvent[] };
    expect(listed).toEqual([
      expect.objectContaining({
        action: 'read',
        outcome: 'denied',
        detail: 'GET /-/v1/search: not signed in',
        address: '127.0.0.1',
      }),
    ]);
    expect(listed[0]).not.toHaveProperty('actor');
  });

  it('keeps a failing subscriber from failing the request', async () => {
    // Prepare
    const events = new RegistryEvents({ logger: noopLogger });
    const failing: EventSink = {
      receive: () => {
        throw new Error('broken sink');
      },
      flush: async () => {},
      close: async () => {},
    };
    events.subscribe(failing);
    const registry = await startRegistry({ events });
    cleanups.push(() => registry.close());

    // Act
    const response = await publish(registry, publishBody('unharmed', '1.0.0'));

    // Assess
    expect(response.status).toBe(201);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver answering the statuses given, in turn (the last one from then on). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses[Math.min(received.length, statuses.length) - 1] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

/** The URL of a port nothing listens on any more: connections are refused. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hook`;
}

const published: RegistryEvent = {
  time: '2026-12-07T12:00:00.000Z',
  action: 'publish',
  outcome: 'ok',
  actor: 'alice',
  package: '@myorg/a',
  version: '1.0.0',
  address: '10.0.0.1',
};

describe('Webhooks', () => {
  it('delivers matching events signed, retries a failure, logs each delivery, and ignores the rest', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const target = await receiver([503, 200]);
    await addHook(storage, { target: '@myorg', url: target.url, secret: 's3cret' }, new Date());
    const hooks = new Webhooks({ storage, logger: noopLogger, retryDelayMs: 10, closeGraceMs: 20_000 });

    // Act
    hooks.receive(published);
    hooks.receive({ ...published, package: 'other' });
    hooks.receive({ ...published, outcome: 'denied' });
    hooks.receive({ ...published, action: 'login' });
    await hooks.flush();
    await hooks.close();

    // Assess
    expect(target.received).toHaveLength(2);
    for (const { headers, body } of target.received) {
      expect(verifyWebhook(body, 's3cret', headers[SIGNATURE_HEADER] as string)).toBe(true);
      expect(JSON.parse(body)).toMatchObject({ action: 'publish', package: '@myorg/a', version: '1.0.0' });
      expect(body).not.toContain('10.0.0.1');
    }
    const [hook] = (await readHooks(storage)).hooks;
    expect(await recentDeliveries(storage, hook?.id ?? '')).toMatchObject([
      { outcome: 'delivered', attempts: 2, result: '200' },
    ]);
  });

  it('gives up after its attempts on a failing or unreachable receiver, and logs why', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const refusing = await receiver([500]);
    await addHook(storage, { target: '*', url: refusing.url, secret: 's' }, new Date());
    const unreachable = await closedPort();
    await addHook(storage, { target: 'gone', url: unreachable, secret: 's' }, new Date());
    // Close waits for the deliveries to end (a loaded machine may take seconds).
    const hooks = new Webhooks({
      storage,
      logger: noopLogger,
      retryDelayMs: 5,
      maxAttempts: 3,
      closeGraceMs: 20_000,
    });

    // Act
    hooks.receive(published);
    hooks.receive({ ...published, package: 'gone' });
    await hooks.close();

    // Assess
    expect(refusing.received).toHaveLength(3 + 3);
    const results = [];
    for (const { id } of (await readHooks(storage)).hooks) {
      results.push(
        ...(await recentDeliveries(storage, id)).map((record) => `${record.outcome} ${record.result}`),
      );
    }
    expect(results.sort()).toEqual(['failed 500', 'failed 500', 'failed ECONNREFUSED']);
  });
});
