import { noopLogger } from '@myorg/logger';
import { listAll, MemoryStorage, type ObjectStorage, type WriteOptions } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { AUDIT_PREFIX, AuditLog } from '../../src/events/AuditLog.ts';
import type { RegistryEvent } from '../../src/events/RegistryEvents.ts';
import { readAudit } from '../../src/events/readAudit.ts';

function event(n: number, fields: Partial<RegistryEvent> = {}): RegistryEvent {
  return {
    time: new Date(Date.UTC(2026, 11, 7, 10, 0, n)).toISOString(),
    action: 'publish',
    outcome: 'ok',
    ...fields,
  };
}

async function batches(storage: ObjectStorage): Promise<string[][]> {
  const found: string[][] = [];
  for await (const { key } of listAll(storage, AUDIT_PREFIX)) {
    const body = (await storage.get(key))?.body.toString('utf8') ?? '';
    found.push(body.trim().split('\n'));
  }
  return found;
}

/** Memory storage whose next `failures` writes fail, as S3's do while it is unreachable; `writes` are the options of the others. */
function flakyStorage(): { storage: MemoryStorage; failures: number; writes: WriteOptions[] } {
  const storage = new MemoryStorage();
  const put = storage.put.bind(storage);
  const flaky = { storage, failures: 0, writes: [] as WriteOptions[] };
  storage.put = async (key: string, body: Uint8Array | string, options?: WriteOptions) => {
    if (flaky.failures > 0) {
      flaky.failures--;
      throw new Error('storage unreachable');
    }
    flaky.writes.push(options ?? {});
    return put(key, body, options);
  };
  return flaky;
}

describe('AuditLog', () => {
  it('writes nothing on the request path: events wait for the timer, then go in one batch', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const log = new AuditLog({ storage, logger: noopLogger, flushMs: 50 });

    // Act
    log.receive(event(1));
    log.receive(event(2));
    const before = await batches(storage);
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Assert
    expect(before).toEqual([]);
    expect(await batches(storage)).toEqual([[JSON.stringify(event(1)), JSON.stringify(event(2))]]);
    await log.close();
  });

  it('writes a full batch at once, each as its own object created with ifNoneMatch', async () => {
    // Prepare
    const flaky = flakyStorage();
    const { storage } = flaky;
    const log = new AuditLog({ storage, logger: noopLogger, flushMs: 60_000, maxBatch: 3 });

    // Act
    for (let n = 0; n < 7; n++) log.receive(event(n));
    await log.flush();

    // Assert
    expect((await batches(storage)).map((batch) => batch.length).sort()).toEqual([1, 3, 3]);
    expect(flaky.writes.map((options) => options.ifNoneMatch)).toEqual(['*', '*', '*']);
    await log.close();
  });

  it('writes what is buffered on close, so a normal stop loses nothing', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const log = new AuditLog({ storage, logger: noopLogger, flushMs: 60_000 });
    log.receive(event(1));

    // Act
    await log.close();

    // Assert
    expect(await batches(storage)).toEqual([[JSON.stringify(event(1))]]);
  });

  it('keeps the events of a failed write, in order, and writes them on the next try', async () => {
    // Prepare
    const flaky = flakyStorage();
    const { storage } = flaky;
    const log = new AuditLog({ storage, logger: noopLogger, flushMs: 20 });
    flaky.failures = 2;

    // Act
    log.receive(event(1));
    log.receive(event(2));
    await log.flush();
    log.receive(event(3));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assert
    expect(flaky.failures).toBe(0);
    expect((await batches(storage)).flat()).toEqual([1, 2, 3].map((n) => JSON.stringify(event(n))));
    await log.close();
  });

  it('drops events beyond maxPending while storage refuses, instead of growing without bound', async () => {
    // Prepare
    const flaky = flakyStorage();
    const { storage } = flaky;
    const log = new AuditLog({ storage, logger: noopLogger, flushMs: 60_000, maxPending: 2 });
    flaky.failures = 1;

    // Act
    for (let n = 0; n < 5; n++) log.receive(event(n));
    await log.flush();
    await log.close();

    // Assert
    expect((await batches(storage)).flat()).toEqual([0, 1].map((n) => JSON.stringify(event(n))));
  });

  it('lets two logs on one storage write at the same instant without overwriting each other', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const fixed = () => new Date(Date.UTC(2026, 11, 7, 10));
    const logs = [1, 2].map(() => new AuditLog({ storage, logger: noopLogger, now: fixed }));

    // Act
    for (const [n, log] of logs.entries()) log.receive(event(n));
    await Promise.all(logs.map((log) => log.close()));

    // Assert
    expect((await batches(storage)).flat().sort()).toEqual([0, 1].map((n) => JSON.stringify(event(n))));
  });
});

describe('readAudit', () => {
  /** Three days of batches, one event per batch, written at the event's own time. */
  async function stored(): Promise<MemoryStorage> {
    const storage = new MemoryStorage();
    const events = [
      event(0, { time: '2026-12-05T10:00:00.000Z', actor: 'alice', package: 'a' }),
      event(0, { time: '2026-12-06T10:00:00.000Z', actor: 'Bob', package: 'b' }),
      event(0, { time: '2026-12-06T11:00:00.000Z', actor: 'alice', package: 'b' }),
      event(0, { time: '2026-12-07T10:00:00.000Z', actor: 'alice', package: 'a' }),
    ];
    for (const each of events) {
      const log = new AuditLog({ storage, logger: noopLogger, now: () => new Date(each.time) });
      log.receive(each);
      await log.close();
    }
    return storage;
  }

  it('filters by time, package and user (without regard to case)', async () => {
    // Prepare
    const storage = await stored();

    // Act
    const since = await readAudit(storage, { since: new Date('2026-12-06T10:30:00Z'), limit: 100 });
    const ofB = await readAudit(storage, { package: 'b', limit: 100 });
    const ofBob = await readAudit(storage, { user: 'bob', limit: 100 });

    // Assert
    expect(since.events.map((each) => each.time)).toEqual([
      '2026-12-06T11:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
    ]);
    expect(ofB.events.map((each) => each.actor)).toEqual(['Bob', 'alice']);
    expect(ofBob.events.map((each) => each.time)).toEqual(['2026-12-06T10:00:00.000Z']);
    expect([since.cursor, ofB.cursor, ofBob.cursor]).toEqual([undefined, undefined, undefined]);
  });

  it('pages through the trail with the cursor, each event once, in order', async () => {
    // Prepare
    const storage = await stored();
    const seen: string[] = [];

    // Act
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readAudit(storage, { limit: 1, cursor });
      seen.push(...page.events.map((each) => each.time));
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 10);

    // Assert
    expect(seen).toEqual([
      '2026-12-05T10:00:00.000Z',
      '2026-12-06T10:00:00.000Z',
      '2026-12-06T11:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
    ]);
  });

  it('bounds the batches one page reads, however few of them match', async () => {
    // Prepare
    const storage = await stored();

    // Act
    const page = await readAudit(storage, { user: 'nobody', limit: 100, maxObjects: 2 });

    // Assert
    expect(page.events).toEqual([]);
    expect(page.cursor).toMatch(/^audit\/2026-12-06\//);
  });
});
