import { setTimeout as sleep } from 'node:timers/promises';
import { noopLogger } from '@myorg/logger';
import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { startTemporarySweep } from '../../src/storage/startTemporarySweep.ts';
import { TarballStore } from '../../src/storage/TarballStore.ts';

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

describe('startTemporarySweep', () => {
  it('removes staged tarballs older than the age at once, and nothing else', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const tarballs = new TarballStore(storage);
    const old = await tarballs.stage(bytes('left by a crash'));
    await storage.put('tarballs/demo/1.0.0/0000.tgz', 'published');
    await sleep(50);
    const fresh = await tarballs.stage(bytes('publish in flight'));

    // Act
    const sweep = startTemporarySweep({ storage, maxAgeMs: 30, logger: noopLogger });
    await sweep.first;
    sweep.stop();

    // Assess
    expect(await storage.head(old)).toBeUndefined();
    expect(await storage.head(fresh)).toBeDefined();
    expect(await storage.head('tarballs/demo/1.0.0/0000.tgz')).toBeDefined();
  });
});
