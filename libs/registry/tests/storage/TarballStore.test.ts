import { randomBytes } from 'node:crypto';
import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { PENDING_TARBALLS_PREFIX } from '../../src/storage/storageKeys.ts';
import { TarballStore } from '../../src/storage/TarballStore.ts';

async function* inPieces(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

async function stagedInStorage(storage: MemoryStorage): Promise<string[]> {
  return (await storage.list({ prefix: PENDING_TARBALLS_PREFIX })).objects.map((object) => object.key);
}

describe('TarballStore staging', () => {
  it.each([
    ['a small tarball waits in memory', 4 * 1024, 0],
    ['a large tarball streams into storage', 3 * 1024 * 1024, 1],
  ])('%s, and commits the same bytes under its final key', async (_case, size, inStorage) => {
    // Prepare
    const storage = new MemoryStorage();
    const tarballs = new TarballStore(storage);
    const bytes = randomBytes(size);

    // Act
    const key = await tarballs.stage(inPieces(bytes));
    const pending = await stagedInStorage(storage);
    const read = Buffer.concat(await (await tarballs.readStaged(key)).toArray());
    await tarballs.commit(key, 'demo', '1.0.0', 'abc');
    await tarballs.discardStaged(key);

    // Assess
    expect(pending).toHaveLength(inStorage);
    expect(read.equals(bytes)).toBe(true);
    expect((await tarballs.open('demo', '1.0.0', 'abc'))?.size).toBe(size);
    expect(await stagedInStorage(storage)).toEqual([]);
    await expect(tarballs.readStaged(key)).rejects.toThrow(/gone/);
  });
});
