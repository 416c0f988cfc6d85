import { isStorageError, MemoryStorage, type ObjectStorage, StorageErrorCode } from '@myorg/storage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Packument } from '../../src/packument/types.ts';
import { PackumentRepository } from '../../src/storage/PackumentRepository.ts';

function packument(name: string, rev = '1-a', versions: string[] = []): Packument {
  return {
    _id: name,
    _rev: rev,
    name,
    'dist-tags': {},
    versions: Object.fromEntries(
      versions.map((version) => [
        version,
        { name, version, dist: { shasum: 'x', tarball: `${name}/-/${name}-${version}.tgz` } },
      ]),
    ) as Packument['versions'],
    time: { created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z' },
  };
}

/** A storage that counts what the repository asks of it. */
function countingStorage(storage: ObjectStorage = new MemoryStorage()) {
  const calls = { get: 0, head: 0, put: 0, refused: 0 };
  const counting: ObjectStorage = Object.create(storage, {
    get: {
      value: (key: string) => {
        calls.get++;
        return storage.get(key);
      },
    },
    head: {
      value: (key: string) => {
        calls.head++;
        return storage.head(key);
      },
    },
    put: {
      value: (...args: Parameters<ObjectStorage['put']>) => {
        calls.put++;
        return storage.put(...args).catch((error: unknown) => {
          if (isStorageError(error, StorageErrorCode.PRECONDITION)) calls.refused++;
          throw error;
        });
      },
    },
  });
  return { storage: counting, calls };
}

const render = (document: Packument) => ({ ...document, padding: 'x'.repeat(2000) });
const revOf = (body: { bytes: Uint8Array } | undefined) =>
  JSON.parse(Buffer.from(body?.bytes ?? []).toString())._rev;

describe('PackumentRepository', () => {
  it('loads a package once for concurrent readers', async () => {
    // Prepare
    const { storage, calls } = countingStorage();
    await storage.put('packuments/a.json', JSON.stringify(packument('a')));
    const repository = new PackumentRepository(storage);

    // Act
    const [first, second] = await Promise.all([repository.read('a'), repository.read('a')]);
    const third = await repository.read('a');

    // Assess
    expect(calls.get).toBe(1);
    expect(first).toBe(second);
    expect(third).toBe(first);
  });

  it('holds no document for packages that do not exist or failed to load', async () => {
    // Prepare
    const storage = new MemoryStorage();
    await storage.put('packuments/broken.json', '{"name":');
    const repository = new PackumentRepository(storage);

    // Act
    const missing = await repository.read('missing');
    await expect(repository.read('broken')).rejects.toThrow('corrupt');

    // Assess
    expect(missing).toBeUndefined();
    expect(repository.size.packages).toBe(0);
  });

  it('serves what a write stored, never a body built from the document before', async () => {
    // Prepare
    const repository = new PackumentRepository(new MemoryStorage());
    await repository.update('a', () => packument('a', '1-old'));
    const before = await repository.body('a', 'full', 'application/json', render);

    // Act
    await repository.update('a', () => packument('a', '2-new'));
    const after = await repository.body('a', 'full', 'application/json', render);

    // Assess
    expect(revOf(before)).toBe('1-old');
    expect(revOf(after)).toBe('2-new');
  });

  it('counts each document as stored towards its byte bound', async () => {
    // Prepare
    const repository = new PackumentRepository(new MemoryStorage());

    // Act
    for (const name of ['a', 'b']) await repository.update(name, () => packument(name));

    // Assess
    const stored = ['a', 'b'].reduce(
      (sum, name) => sum + Buffer.byteLength(JSON.stringify(packument(name))),
      0,
    );
    expect(repository.size).toEqual({ packages: 2, bytes: stored });
  });

  it('keeps within its byte bound, bodies included, by dropping the least recently used package', async () => {
    // Prepare: a package with its full body takes about 2,800 bytes, so two fit in 6,000.
    const { storage, calls } = countingStorage();
    const repository = new PackumentRepository(storage, { cache: { maxBytes: 6000 } });
    for (const name of ['a', 'b', 'c']) await repository.update(name, () => packument(name));

    // Act
    for (const name of ['a', 'b', 'c']) await repository.body(name, 'full', 'application/json', render);
    calls.get = 0;
    await repository.read('c');
    const keptC = calls.get;
    await repository.read('a');

    // Assess
    expect(repository.size.bytes).toBeLessThanOrEqual(6000);
    expect(repository.size.bytes).toBeGreaterThan(2 * 2400);
    expect(keptC).toBe(0);
    expect(calls.get).toBe(1);
  });

  it('serves a package larger than its bound, reading it from storage each time', async () => {
    // Prepare
    const { storage, calls } = countingStorage();
    const repository = new PackumentRepository(storage, { cache: { maxBytes: 1000 } });
    await repository.update('big', () => packument('big', '1-a', ['1.0.0']));

    // Act
    const first = await repository.body('big', 'full', 'application/json', render);
    const second = await repository.body('big', 'full', 'application/json', render);

    // Assess
    expect(revOf(first)).toBe('1-a');
    expect(revOf(second)).toBe('1-a');
    expect(repository.size.packages).toBe(0);
    expect(calls.get).toBe(2);
  });

  it('writes on from the cached document without reading or parsing it again', async () => {
    // Prepare: a package of 1,000 versions, read once.
    const { storage, calls } = countingStorage();
    const versions = Array.from({ length: 1000 }, (_, index) => `1.0.${index}`);
    await storage.put('packuments/big.json', JSON.stringify(packument('big', '1-a', versions)));
    const repository = new PackumentRepository(storage);
    const cached = await repository.read('big');
    calls.get = 0;

    // Act
    let given: Packument | undefined;
    await repository.update('big', (current) => {
      given = current;
      return packument('big', '2-b', [...versions, '2.0.0']);
    });
    await repository.update('big', (current) =>
      packument('big', '3-c', Object.keys(current?.versions ?? {})),
    );

    // Assess: only a HEAD per write confirmed the cached etag.
    expect(given).toBe(cached);
    expect(calls.get).toBe(0);
    expect(calls.head).toBe(2);
    expect(Object.keys((await repository.read('big'))?.versions ?? {})).toHaveLength(1001);
  });

  it('lets 20 concurrent writes of one package take turns, so none is refused', async () => {
    // Prepare
    const { storage, calls } = countingStorage();
    const repository = new PackumentRepository(storage);
    const versions = Array.from({ length: 20 }, (_, index) => `1.0.${index}`);

    // Act
    await Promise.all(
      versions.map((version) =>
        repository.update('busy', (current) =>
          packument('busy', `${version}`, [...Object.keys(current?.versions ?? {}), version]),
        ),
      ),
    );

    // Assess
    expect(calls.refused).toBe(0);
    expect(calls.put).toBe(20);
    expect(Object.keys((await repository.read('busy'))?.versions ?? {}).sort()).toEqual([...versions].sort());
  });

  it('notices a write by another process and starts over from what it stored', async () => {
    // Prepare: two processes sharing one storage, each with its own cache.
    const storage = new MemoryStorage();
    const here = new PackumentRepository(storage);
    const elsewhere = new PackumentRepository(storage);
    await here.update('shared', () => packument('shared', '1', ['1.0.0']));
    await elsewhere.update('shared', (current) =>
      packument('shared', '2', [...Object.keys(current?.versions ?? {}), '2.0.0']),
    );

    // Act
    await here.update('shared', (current) =>
      packument('shared', '3', [...Object.keys(current?.versions ?? {}), '3.0.0']),
    );

    // Assess
    expect(
      Object.keys((await elsewhere.update('shared', (current) => current ?? packument('x')))?.versions),
    ).toEqual(['1.0.0', '2.0.0', '3.0.0']);
  });

  describe('with another process writing the same storage', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('serves its write once the cached copy is older than revalidateAfterMs, checking with a HEAD', async () => {
      // Prepare: two processes sharing one storage, each with its own cache; only the clock is fake.
      vi.useFakeTimers({ toFake: ['Date'] });
      const { storage, calls } = countingStorage();
      const here = new PackumentRepository(storage, { cache: { revalidateAfterMs: 1000 } });
      const elsewhere = new PackumentRepository(storage);
      await here.update('shared', () => packument('shared', '1-here', ['1.0.0']));
      const served = async () => revOf(await here.body('shared', 'full', 'application/json', render));
      await served();
      await elsewhere.update('shared', (current) =>
        packument('shared', '2-elsewhere', [...Object.keys(current?.versions ?? {}), '2.0.0']),
      );

      // Act
      const withinPeriod = await served();
      vi.advanceTimersByTime(1000);
      const afterPeriod = await served();
      const read = await here.read('shared');
      const reads = calls.get;
      vi.advanceTimersByTime(1000);
      const unchanged = await served();

      // Assess
      expect(withinPeriod).toBe('1-here');
      expect(afterPeriod).toBe('2-elsewhere');
      expect(Object.keys(read?.versions ?? {})).toEqual(['1.0.0', '2.0.0']);
      expect(unchanged).toBe('2-elsewhere');
      expect(calls.get, 'an unchanged document is not read again').toBe(reads);
    });

    it('remembers a name found absent for revalidateAfterMs, then sees what another process published', async () => {
      // Prepare
      vi.useFakeTimers({ toFake: ['Date'] });
      const { storage, calls } = countingStorage();
      const here = new PackumentRepository(storage, { cache: { revalidateAfterMs: 1000 } });
      const elsewhere = new PackumentRepository(storage);

      // Act
      const first = await here.read('later');
      const again = await here.body('later', 'full', 'application/json', render);
      const readsWhileAbsent = calls.get;
      await elsewhere.update('later', () => packument('later', '1-elsewhere'));
      const withinPeriod = await here.read('later');
      vi.advanceTimersByTime(1000);
      const afterPeriod = await here.read('later');

      // Assess
      expect(first).toBeUndefined();
      expect(again).toBeUndefined();
      expect(readsWhileAbsent, 'one storage read for both lookups').toBe(1);
      expect(withinPeriod).toBeUndefined();
      expect(afterPeriod?._rev).toBe('1-elsewhere');
    });

    it('serves its own first publish of a name it found absent at once, and checks storage when asked for the latest', async () => {
      // Prepare
      const storage = new MemoryStorage();
      const here = new PackumentRepository(storage, { cache: { revalidateAfterMs: 60_000 } });
      const elsewhere = new PackumentRepository(storage);
      await here.read('mine');
      await here.read('theirs');

      // Act
      await here.update('mine', () => packument('mine', '1-here'));
      await elsewhere.update('theirs', () => packument('theirs', '1-elsewhere'));

      // Assess
      expect((await here.read('mine'))?._rev).toBe('1-here');
      expect(await here.read('theirs')).toBeUndefined();
      expect((await here.read('theirs', { latest: true }))?._rev).toBe('1-elsewhere');
    });

    it('forgets a package another process removed', async () => {
      // Prepare
      const storage = new MemoryStorage();
      const here = new PackumentRepository(storage, { cache: { revalidateAfterMs: 0 } });
      await here.update('gone', () => packument('gone'));

      // Act
      await storage.delete('packuments/gone.json');

      // Assess
      expect(await here.read('gone')).toBeUndefined();
      expect(await here.body('gone', 'full', 'application/json', render)).toBeUndefined();
    });
  });

  it('lists every stored packument, and tells search of each write', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const written: string[] = [];
    const repository = new PackumentRepository(storage, {
      onWrite: (document) => written.push(document._rev),
    });
    await storage.put('packuments/other.txt', 'not a packument');

    // Act
    await repository.update('@scope/a', () => packument('@scope/a', '1-a'));
    await repository.update('b', () => packument('b', '1-b'));
    const all: string[] = [];
    for await (const document of repository.all()) all.push(document.name);

    // Assess
    expect(all.sort()).toEqual(['@scope/a', 'b']);
    expect(written).toEqual(['1-a', '1-b']);
  });
});
