import { noopLogger } from '@myorg/logger';
import { MemoryStorage } from '@myorg/storage';
import { beforeEach, describe, expect, it } from 'vitest';
import { UpstreamRecords } from '../../src/upstream/UpstreamRecords.ts';
import { newCopy } from '../../src/upstream/upstreamCopy.ts';

const document = { name: 'left-pad', 'dist-tags': { latest: '1.0.0' }, versions: {} };
let storage: MemoryStorage;
let records: UpstreamRecords;

beforeEach(() => {
  storage = new MemoryStorage();
  records = new UpstreamRecords({ storage, logger: noopLogger });
});

async function keys(): Promise<string[]> {
  return (await storage.list({ prefix: 'upstream/' })).objects.map((object) => object.key);
}

describe('UpstreamRecords', () => {
  it('stores one record per package with its form and ETag, the document as received', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify(document));
    const copy = newCopy({
      name: 'left-pad',
      form: 'abbreviated',
      document,
      etag: '"e1"',
      checkedAt: 0,
      bytes: 1,
    });

    // Act
    await records.save(copy, body);
    const loaded = await records.load('left-pad');

    // Assess
    expect(await keys()).toEqual(['upstream/packuments/left-pad/packument.json']);
    expect(loaded).toMatchObject({ name: 'left-pad', form: 'abbreviated', etag: '"e1"', document });
    expect(loaded?.checkedAt).toBeGreaterThan(0);
  });

  it('reads the records of earlier versions, the full one first, and removes them once stored anew', async () => {
    // Prepare
    await storage.put(
      'upstream/packuments/left-pad/abbreviated.json',
      JSON.stringify({ etag: '"a"', packument: document }),
    );
    await storage.put(
      'upstream/packuments/left-pad/full.json',
      JSON.stringify({ etag: '"f"', packument: document }),
    );
    await storage.put(
      'upstream/packuments/other/abbreviated.json',
      JSON.stringify({ etag: null, packument: { ...document, name: 'other' } }),
    );

    // Act
    const full = await records.load('left-pad');
    const abbreviated = await records.load('other');
    if (full === undefined) throw new Error('no legacy record read');
    await records.save(full, Buffer.from(JSON.stringify(document)));

    // Assess
    expect(full).toMatchObject({ form: 'full', etag: '"f"' });
    expect(abbreviated).toMatchObject({ form: 'abbreviated', etag: undefined });
    expect(await keys()).toEqual([
      'upstream/packuments/left-pad/packument.json',
      'upstream/packuments/other/abbreviated.json',
    ]);
  });

  it('treats a record it cannot read as absent', async () => {
    // Prepare
    await storage.put(
      'upstream/packuments/left-pad/packument.json',
      '{"etag":"x","form":"odd","packument":{}}',
    );
    await storage.put('upstream/packuments/other/packument.json', 'not json');

    // Act, Assess
    expect(await records.load('left-pad')).toBeUndefined();
    expect(await records.load('other')).toBeUndefined();
  });

  it('deletes every record of a package, earlier ones included', async () => {
    // Prepare
    const copy = newCopy({
      name: 'left-pad',
      form: 'full',
      document,
      etag: undefined,
      checkedAt: 0,
      bytes: 1,
    });
    await records.save(copy, Buffer.from(JSON.stringify(document)));
    await storage.put(
      'upstream/packuments/left-pad/abbreviated.json',
      JSON.stringify({ packument: document }),
    );

    // Act
    await records.delete('left-pad');

    // Assess
    expect(await keys()).toEqual([]);
    expect(await records.load('left-pad')).toBeUndefined();
  });
});
