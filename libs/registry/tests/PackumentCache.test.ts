import { prepareBody } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { PackumentCache } from '../src/cache/PackumentCache.ts';
import type { Packument } from '../src/packument/types.ts';

function packument(name: string, rev = '1-a'): Packument {
  return {
    _id: name,
    _rev: rev,
    name,
    'dist-tags': {},
    versions: {},
    time: { created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z' },
  };
}

const build = (document: Packument) =>
  prepareBody(Buffer.from(JSON.stringify({ ...document, padding: 'x'.repeat(2000) })), {
    contentType: 'application/json',
  });

describe('PackumentCache', () => {
  it('loads a package once for concurrent readers', async () => {
    // Prepare
    const cache = new PackumentCache();
    let loads = 0;
    const load = async (name: string) => {
      loads += 1;
      return packument(name);
    };

    // Act
    const [first, second] = await Promise.all([cache.document('a', load), cache.document('a', load)]);

    // Assess
    expect(loads).toBe(1);
    expect(first).toBe(second);
  });

  it('never remembers packages that do not exist or failed to load', async () => {
    // Prepare
    const cache = new PackumentCache();

    // Act
    await cache.document('missing', async () => undefined);
    await expect(cache.document('broken', async () => Promise.reject(new Error('disk')))).rejects.toThrow(
      'disk',
    );
    await Promise.resolve();

    // Assess
    expect(cache.size.packages).toBe(0);
  });

  it('serves what a write stored, never a body built from the document before', async () => {
    // Prepare
    const cache = new PackumentCache();
    const load = async (name: string) => packument(name, '1-old');
    const before = await cache.body('a', 'full', load, build);

    // Act
    cache.set('a', packument('a', '2-new'));
    const after = await cache.body('a', 'full', load, build);

    // Assess
    expect(JSON.parse(Buffer.from(before!.bytes).toString())._rev).toBe('1-old');
    expect(JSON.parse(Buffer.from(after!.bytes).toString())._rev).toBe('2-new');
  });

  it('keeps within its bounds by dropping the oldest packages', async () => {
    // Prepare
    const cache = new PackumentCache({ maxPackages: 2, maxBodyBytes: 5000 });
    const load = async (name: string) => packument(name);

    // Act
    for (const name of ['a', 'b', 'c']) await cache.body(name, 'full', load, build);

    // Assess
    expect(cache.size.packages).toBeLessThanOrEqual(2);
    expect(cache.size.bodyBytes).toBeLessThanOrEqual(5000);
  });
});
