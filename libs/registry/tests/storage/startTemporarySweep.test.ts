import { noopLogger } from '@myorg/logger';
import { MemoryStorage } from '@myorg/storage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTemporarySweep } from '../../src/storage/startTemporarySweep.ts';
import { pendingTarballKey } from '../../src/storage/storageKeys.ts';

const HOUR = 60 * 60 * 1000;

describe('startTemporarySweep', () => {
  // Only the clock objects are stamped with moves: a loaded machine cannot age the fresh one.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('removes staged tarballs older than the age at once, and nothing else', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    const storage = new MemoryStorage();
    // Staged as a tarball too large to wait in memory would be: in storage.
    const old = pendingTarballKey('left-by-a-crash');
    await storage.put(old, 'left by a crash');
    await storage.put('tarballs/demo/1.0.0/0000.tgz', 'published');
    vi.setSystemTime(Date.now() + 2 * HOUR);
    const fresh = pendingTarballKey('publish-in-flight');
    await storage.put(fresh, 'publish in flight');

    // Act
    const sweep = startTemporarySweep({ storage, maxAgeMs: HOUR, logger: noopLogger });
    await sweep.first;
    sweep.stop();

    // Assess
    expect(await storage.head(old)).toBeUndefined();
    expect(await storage.head(fresh)).toBeDefined();
    expect(await storage.head('tarballs/demo/1.0.0/0000.tgz')).toBeDefined();
  });
});
