import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  FileSystemStorage,
  isStorageError,
  MemoryStorage,
  type ObjectStorage,
  StorageErrorCode,
} from '@myorg/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentError, DocumentErrorCode, DocumentStore } from '../src/index.ts';

interface Packument {
  name: string;
  versions: string[];
}

function isPackument(value: unknown): Packument {
  const candidate = value as Partial<Packument> | null;
  if (typeof candidate?.name !== 'string' || !Array.isArray(candidate.versions)) {
    throw new TypeError('not a packument');
  }
  return candidate as Packument;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const backends: [string, () => Promise<{ storage: ObjectStorage; cleanup: () => Promise<void> }>][] = [
  ['MemoryStorage', async () => ({ storage: new MemoryStorage(), cleanup: async () => {} })],
  [
    'FileSystemStorage',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'database-'));
      return {
        storage: new FileSystemStorage(dir),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  ],
];

describe.each(backends)('DocumentStore on %s', (_name, setup) => {
  let storage: ObjectStorage;
  let cleanup: () => Promise<void>;
  let store: DocumentStore<Packument>;

  beforeEach(async () => {
    ({ storage, cleanup } = await setup());
    store = new DocumentStore<Packument>(storage, { prefix: 'packuments/', validate: isPackument });
  });

  afterEach(async () => {
    await cleanup();
  });

  it('creates, reads, replaces and deletes a document by version', async () => {
    // Act
    const created = await store.create('@scope/pkg', { name: '@scope/pkg', versions: ['1.0.0'] });
    const read = await store.get('@scope/pkg');
    const replaced = await store.replace(
      '@scope/pkg',
      { name: '@scope/pkg', versions: ['1.0.0', '1.1.0'] },
      created.version,
    );
    const deleted = await store.delete('@scope/pkg', replaced.version);

    // Assess
    expect(read).toEqual(created);
    expect(replaced.version).not.toBe(created.version);
    expect(replaced.value.versions).toEqual(['1.0.0', '1.1.0']);
    expect(deleted).toBe(true);
    expect(await store.get('@scope/pkg')).toBeUndefined();
    expect(await store.delete('@scope/pkg')).toBe(false);
  });

  it('stores compact JSON at <prefix><id>.json and hands the bytes back untouched', async () => {
    const created = await store.create('@scope/pkg', { name: '@scope/pkg', versions: ['1.0.0'] });

    const raw = await store.getRaw('@scope/pkg');
    const object = await storage.get('packuments/@scope/pkg.json');

    expect(raw?.bytes.toString()).toBe('{"name":"@scope/pkg","versions":["1.0.0"]}');
    expect(raw?.version).toBe(created.version);
    expect(object?.body.equals(raw!.bytes)).toBe(true);
    expect(object?.contentType).toBe('application/json');
    expect(await store.getRaw('missing')).toBeUndefined();
  });

  it('refuses to create over an existing document and keeps it', async () => {
    const first = await store.create('pkg', { name: 'pkg', versions: ['1.0.0'] });

    const error = await rejectionOf(store.create('pkg', { name: 'pkg', versions: ['9.9.9'] }));

    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({
      code: DocumentErrorCode.EXISTS,
      id: 'pkg',
      message: 'document "pkg" already exists',
    });
    expect(await store.get('pkg')).toEqual(first);
  });

  it('refuses a replace or delete at a stale version, or of a missing document', async () => {
    // Prepare
    const first = await store.create('pkg', { name: 'pkg', versions: ['1.0.0'] });
    const second = await store.replace('pkg', { name: 'pkg', versions: ['2.0.0'] }, first.version);

    // Act
    const staleReplace = await rejectionOf(
      store.replace('pkg', { name: 'pkg', versions: ['lost'] }, first.version),
    );
    const staleDelete = await rejectionOf(store.delete('pkg', first.version));
    const missing = await rejectionOf(store.replace('other', { name: 'other', versions: [] }, first.version));

    // Assess
    const precondition = { code: StorageErrorCode.PRECONDITION };
    expect(staleReplace).toMatchObject(precondition);
    expect(staleDelete).toMatchObject(precondition);
    expect(missing).toMatchObject(precondition);
    expect(await store.get('pkg')).toEqual(second);
    expect(await store.get('other')).toBeUndefined();
  });

  it('answers a copy of the stored form, never the caller’s object', async () => {
    const value = { name: 'pkg', versions: ['1.0.0'] };
    const created = await store.create('pkg', value);
    value.versions.push('mutated');

    expect(created.value).toEqual({ name: 'pkg', versions: ['1.0.0'] });
    expect((await store.get('pkg'))?.value).toEqual({ name: 'pkg', versions: ['1.0.0'] });
  });

  it.each([
    {
      problem: 'corrupt stored JSON',
      id: 'broken',
      stored: '{"name":"broken",',
      message: expect.stringContaining('"broken"'),
      cause: SyntaxError,
    },
    {
      problem: 'stored JSON that fails validation',
      id: 'odd',
      stored: '{"name":42}',
      message: 'document "odd" is corrupt: it fails validation',
      cause: TypeError,
    },
  ])(
    'reports $problem as ECORRUPT naming the document, its bytes still readable',
    async ({ id, stored, message, cause }) => {
      await storage.put(`packuments/${id}.json`, stored);

      const error = await rejectionOf(store.get(id));

      expect(error).toMatchObject({ code: DocumentErrorCode.CORRUPT, id });
      expect((error as Error).message).toEqual(message);
      expect((error as Error).cause).toBeInstanceOf(cause);
      expect((await store.getRaw(id))?.bytes.toString()).toBe(stored);
    },
  );

  it('refuses to write a value that fails validation or is not JSON, and stores nothing', async () => {
    const invalid = await rejectionOf(store.create('bad', { name: 1 } as unknown as Packument));
    const notJson = await rejectionOf(
      store.create('bad', { name: 'bad', versions: [1n] } as unknown as Packument),
    );
    const nothing = await rejectionOf(store.create('bad', undefined as unknown as Packument));

    expect(invalid).toBeInstanceOf(TypeError);
    expect(notJson).toMatchObject({ code: DocumentErrorCode.NOT_JSON, id: 'bad' });
    expect(nothing).toMatchObject({ code: DocumentErrorCode.NOT_JSON, id: 'bad' });
    expect(await store.getRaw('bad')).toBeUndefined();
  });

  it('rejects ids that are not valid keys', async () => {
    for (const id of ['', '/abs', 'dir/', '../escape', 'a//b', 'nul\u0000']) {
      const invalidKey = { code: StorageErrorCode.INVALID_KEY };
      await expect(store.get(id), id).rejects.toMatchObject(invalidKey);
      await expect(store.create(id, { name: id, versions: [] }), id).rejects.toMatchObject(invalidKey);
    }
    expect(() => new DocumentStore(storage, { prefix: '../' })).toThrow(
      expect.objectContaining({ code: StorageErrorCode.INVALID_KEY }),
    );
  });

  it('lists the ids of its documents only, scoped names included', async () => {
    // Prepare
    for (const id of ['b', '@scope/a', '@scope/b', 'a']) await store.create(id, { name: id, versions: [] });
    await storage.put('packuments/readme.txt', 'not a document');
    await storage.put('users/alice.json', '{}');

    // Act
    const all: string[] = [];
    for await (const id of store.list()) all.push(id);
    const scoped: string[] = [];
    for await (const id of store.list('@scope/')) scoped.push(id);

    // Assess
    expect(all).toEqual(['@scope/a', '@scope/b', 'a', 'b']);
    expect(scoped).toEqual(['@scope/a', '@scope/b']);
  });

  it('update creates a missing document, changes an existing one and leaves it when told to', async () => {
    // Act
    const created = await store.update(
      'pkg',
      (current) => current?.value ?? { name: 'pkg', versions: ['1.0.0'] },
    );
    const changed = await store.update('pkg', (current) => ({
      name: 'pkg',
      versions: [...(current?.value.versions ?? []), '1.1.0'],
    }));
    const untouched = await store.update('pkg', () => undefined);
    const absent = await store.update('never', async () => undefined);

    // Assess
    expect(created?.value.versions).toEqual(['1.0.0']);
    expect(changed?.value.versions).toEqual(['1.0.0', '1.1.0']);
    expect(untouched).toEqual(changed);
    expect(await store.get('pkg')).toEqual(changed);
    expect(absent).toBeUndefined();
    expect(await store.get('never')).toBeUndefined();
  });

  /** Appends every item to the document `name` at once, the writers spread over 5 stores. */
  async function appendFromFiveInstances(name: string, items: readonly string[]): Promise<void> {
    const stores = Array.from(
      { length: 5 },
      () => new DocumentStore<Packument>(storage, { prefix: 'packuments/' }),
    );
    await Promise.all(
      stores.flatMap((instance, which) =>
        items
          .filter((_, index) => index % stores.length === which)
          .map((item) =>
            instance.update(name, (current) => ({
              name,
              versions: [...(current?.value.versions ?? []), item],
            })),
          ),
      ),
    );
  }

  it('loses no update when 50 writers in 5 instances append to a new document at once', async () => {
    // Prepare: separate stores over one storage stand for separate processes, which only the
    // conditional writes keep apart (one store queues its own writers, see the next tests).
    const items = Array.from({ length: 50 }, (_, index) => `1.0.${index}`);

    // Act
    await appendFromFiveInstances('@scope/hot', items);

    // Assess
    const stored = await store.get('@scope/hot');
    expect(stored?.value.versions).toHaveLength(50);
    expect([...(stored?.value.versions ?? [])].sort()).toEqual([...items].sort());
  }, 30_000);

  it('loses no update when 50 writers in 5 instances append to an existing document at once', async () => {
    // Prepare
    await store.create('hot', { name: 'hot', versions: ['0.0.1'] });
    const items = Array.from({ length: 50 }, (_, index) => `2.0.${index}`);

    // Act
    await appendFromFiveInstances('hot', items);

    // Assess
    const versions = (await store.get('hot'))?.value.versions ?? [];
    expect(versions).toHaveLength(51);
    expect(new Set(versions)).toEqual(new Set(['0.0.1', ...items]));
  }, 30_000);

  it('queues concurrent updates of one document from one store, so none has to retry', async () => {
    // Prepare: count the conditional writes the storage refuses.
    let refused = 0;
    const counting: ObjectStorage = Object.create(storage, {
      put: {
        value: (...args: Parameters<ObjectStorage['put']>) =>
          storage.put(...args).catch((error: unknown) => {
            if (isStorageError(error, StorageErrorCode.PRECONDITION)) refused++;
            throw error;
          }),
      },
    });
    const queued = new DocumentStore<Packument>(counting, { prefix: 'packuments/' });
    const items = Array.from({ length: 20 }, (_, index) => `3.0.${index}`);

    // Act
    await Promise.all(
      items.map((item) =>
        queued.update('queued', (current) => ({
          name: 'queued',
          versions: [...(current?.value.versions ?? []), item],
        })),
      ),
    );

    // Assess
    expect((await queued.get('queued'))?.value.versions).toEqual(items);
    expect(refused).toBe(0);
  });

  it('lets the next queued update run when one fails', async () => {
    // Act
    const failing = store.update('turns', () => {
      throw new Error('mutate failed');
    });
    const next = store.update('turns', () => ({ name: 'turns', versions: ['1.0.0'] }));

    // Assess
    await expect(failing).rejects.toThrow('mutate failed');
    expect((await next)?.value.versions).toEqual(['1.0.0']);
  });

  it('answers a write with the value given when told it may share it', async () => {
    // Prepare
    const sharing = new DocumentStore<Packument>(storage, {
      validate: isPackument,
      answerWrittenValue: true,
    });
    const value = { name: 'shared', versions: ['1.0.0'] };

    // Act
    const created = await sharing.create('shared', value);

    // Assess
    expect(created.value).toBe(value);
    expect(await sharing.get('shared')).toEqual(created);
  });

  it('update starts from a held copy that is still current', async () => {
    // Prepare
    const held = await store.create('pkg', { name: 'pkg', versions: ['1.0.0'] });
    let seen: unknown;

    // Act
    const updated = await store.update(
      'pkg',
      (current) => {
        seen = current;
        return { name: 'pkg', versions: [...(current?.value.versions ?? []), '1.1.0'] };
      },
      { current: held },
    );

    // Assess
    expect(seen).toBe(held);
    expect(updated?.value.versions).toEqual(['1.0.0', '1.1.0']);
    expect(await store.get('pkg')).toEqual(updated);
  });

  it('update reads afresh when the held copy is stale, losing no other write', async () => {
    // Prepare
    const held = await store.create('pkg', { name: 'pkg', versions: ['1.0.0'] });
    await store.replace('pkg', { name: 'pkg', versions: ['1.0.0', '1.0.1'] }, held.version);
    const seen: unknown[] = [];

    // Act
    const updated = await store.update(
      'pkg',
      (current) => {
        seen.push(current);
        return { name: 'pkg', versions: [...(current?.value.versions ?? []), '1.1.0'] };
      },
      { current: held },
    );

    // Assess
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(held);
    expect(updated?.value.versions).toEqual(['1.0.0', '1.0.1', '1.1.0']);
    expect(await store.get('pkg')).toEqual(updated);
  });
});

describe('DocumentStore without a prefix or validator', () => {
  it('keeps documents at <id>.json at the storage root', async () => {
    const storage = new MemoryStorage();
    const store = new DocumentStore<{ n: number }>(storage);

    await store.create('counter', { n: 1 });

    expect((await storage.get('counter.json'))?.body.toString()).toBe('{"n":1}');
    expect((await store.get('counter'))?.value).toEqual({ n: 1 });
  });
});
