import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { TarballMemory } from '../../src/storage/TarballMemory.ts';

const KIB = 1024;

async function storageWith(objects: Record<string, number>): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  for (const [key, size] of Object.entries(objects)) await storage.put(key, Buffer.alloc(size, 7));
  return storage;
}

describe('TarballMemory', () => {
  it('sends a tarball it read once from memory afterwards, without asking storage', async () => {
    // Prepare
    const storage = await storageWith({ 'tarballs/a.tgz': 10 * KIB });
    const memory = new TarballMemory({ maxBytes: 100 * KIB });
    await memory.open(storage, 'tarballs/a.tgz');
    await storage.delete('tarballs/a.tgz');

    // Act
    const again = await memory.open(storage, 'tarballs/a.tgz');

    // Assess
    expect(again?.body).toBeInstanceOf(Buffer);
    expect(again?.size).toBe(10 * KIB);
  });

  it('streams a tarball over a quarter of its bound from storage, and keeps nothing of it', async () => {
    // Prepare
    const storage = await storageWith({ 'tarballs/big.tgz': 30 * KIB });
    const memory = new TarballMemory({ maxBytes: 100 * KIB });

    // Act
    const opened = await memory.open(storage, 'tarballs/big.tgz');

    // Assess
    expect(opened?.body).not.toBeInstanceOf(Buffer);
    expect(opened?.size).toBe(30 * KIB);
    expect(memory.accepts(30 * KIB)).toBe(false);
    expect(memory.accepts(25 * KIB)).toBe(true);
  });

  it('drops the least recently used tarballs to stay within its bound in bytes', async () => {
    // Prepare: five of 25 KiB do not fit in 100 KiB.
    const keys = ['a', 'b', 'c', 'd', 'e'].map((name) => `tarballs/${name}.tgz`);
    const storage = await storageWith(Object.fromEntries(keys.map((key) => [key, 25 * KIB])));
    const memory = new TarballMemory({ maxBytes: 100 * KIB });
    for (const key of keys) await memory.open(storage, key);
    for (const key of keys) await storage.delete(key);

    // Act
    const held = await Promise.all(keys.map((key) => memory.open(storage, key)));

    // Assess: the first one read went first.
    expect(held.map((opened) => opened !== undefined)).toEqual([false, true, true, true, true]);
  });

  it('keeps nothing with a bound of 0', async () => {
    // Prepare
    const storage = await storageWith({ 'tarballs/a.tgz': 10 });
    const memory = new TarballMemory({ maxBytes: 0 });

    // Act
    const opened = await memory.open(storage, 'tarballs/a.tgz');

    // Assess
    expect(opened?.body).not.toBeInstanceOf(Buffer);
    expect(memory.accepts(1)).toBe(false);
  });

  it('answers undefined for a key storage does not hold', async () => {
    expect(await new TarballMemory({ maxBytes: 100 }).open(new MemoryStorage(), 'tarballs/none.tgz')).toBe(
      undefined,
    );
  });
});
