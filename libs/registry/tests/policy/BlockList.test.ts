import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { BLOCK_LIST_KEY, BlockList, parseBlockSpec } from '../../src/policy/BlockList.ts';

describe('BlockList', () => {
  it('shows another instance’s change once its copy is older than the check interval, not before', async () => {
    // Prepare
    const storage = new MemoryStorage();
    let now = 1_000_000;
    const reader = new BlockList(storage, { now: () => now, checkAfterMs: 2000 });
    const admin = new BlockList(storage);
    expect((await reader.forPackage('pkg')).entries).toEqual([]);

    // Act
    await admin.add({ name: 'pkg', range: '1.0.0', reason: 'bad' });
    const soon = await reader.forPackage('pkg');
    now += 2000;
    const later = await reader.forPackage('pkg');

    // Assess
    expect(soon.entries).toEqual([]);
    expect(later.entries).toMatchObject([{ name: 'pkg', range: '1.0.0', reason: 'bad' }]);
    expect(later.key).not.toBe(soon.key);
  });

  it('keeps concurrent changes from several writers, and tells the audit seam of each', async () => {
    // Prepare
    const storage = new MemoryStorage();
    const audited: string[] = [];
    const writers = Array.from(
      { length: 5 },
      () =>
        new BlockList(storage, {
          audit: (change) => void audited.push(`${change.action} ${change.entries[0]?.name}`),
        }),
    );

    // Act
    await Promise.all(writers.map((list, i) => list.add({ name: `pkg-${i}`, range: '*', reason: 'bad' })));

    // Assess
    expect((await writers[0]?.all())?.map((entry) => entry.name).sort()).toEqual([
      'pkg-0',
      'pkg-1',
      'pkg-2',
      'pkg-3',
      'pkg-4',
    ]);
    expect(audited.sort()).toEqual(['add pkg-0', 'add pkg-1', 'add pkg-2', 'add pkg-3', 'add pkg-4']);
  });

  it('refuses a stored list that is not one, rather than serving without it', async () => {
    const storage = new MemoryStorage();
    await storage.put(BLOCK_LIST_KEY, '{"blocks": "everything"}');
    await expect(new BlockList(storage).forPackage('pkg')).rejects.toThrow(/block list .* is not valid/);
  });

  it('splits name and range, scoped or not, and refuses tags and bad names', () => {
    expect(parseBlockSpec('@scope/pkg@^1.2.0')).toEqual({ name: '@scope/pkg', range: '^1.2.0' });
    expect(parseBlockSpec('pkg')).toEqual({ name: 'pkg', range: undefined });
    expect(() => parseBlockSpec('pkg@next')).toThrow(/a dist-tag cannot be blocked/);
    expect(() => parseBlockSpec('../etc')).toThrow(/is not a package name/);
  });
});
