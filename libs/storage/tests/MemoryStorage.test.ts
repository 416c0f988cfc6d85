import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../src/index.ts';
import { describeStorageContract } from './contract.ts';

describeStorageContract('MemoryStorage', async () => ({ storage: new MemoryStorage() }));

describe('MemoryStorage', () => {
  it('keeps the content type given at write time', async () => {
    const storage = new MemoryStorage();

    const written = await storage.put('any/key', 'x', { contentType: 'text/plain' });
    const untyped = await storage.put('other/key', 'x');

    expect(written.contentType).toBe('text/plain');
    expect((await storage.head('any/key'))?.contentType).toBe('text/plain');
    expect(untyped.contentType).toBeUndefined();
  });

  it('keeps separate instances apart', async () => {
    const first = new MemoryStorage();
    const second = new MemoryStorage();

    await first.put('k', 'v');

    expect(await second.get('k')).toBeUndefined();
  });
});
