import { noopLogger } from '@myorg/logger';
import { MemoryStorage } from '@myorg/storage';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UpstreamCopies } from '../../src/upstream/UpstreamCopies.ts';
import { UpstreamRecords } from '../../src/upstream/UpstreamRecords.ts';
import { newCopy, type UpstreamCopy } from '../../src/upstream/upstreamCopy.ts';

let storage: MemoryStorage;
let records: UpstreamRecords;

beforeEach(() => {
  storage = new MemoryStorage();
  records = new UpstreamRecords({ storage, logger: noopLogger });
});

function copyOf(name: string, bytes: number): UpstreamCopy {
  const document = { name, 'dist-tags': {}, versions: {} };
  return newCopy({ name, form: 'full', document, etag: undefined, checkedAt: 0, bytes });
}

function body(copy: UpstreamCopy): Buffer {
  return Buffer.from(JSON.stringify(copy.document));
}

describe('UpstreamCopies', () => {
  it('keeps copies in memory within a byte bound, least recently used dropped first, and reloads them from storage', async () => {
    // Prepare
    const copies = new UpstreamCopies({ records, maxBytes: 100 });
    const [a, b, c] = [copyOf('a', 40), copyOf('b', 40), copyOf('c', 40)];
    await copies.keep(a, body(a));
    await copies.keep(b, body(b));
    copies.recall('a');

    // Act
    await copies.keep(c, body(c));

    // Assess
    expect(copies.recall('a')).toBe(a);
    expect(copies.recall('b')).toBeUndefined();
    expect(copies.recall('c')).toBe(c);
    expect((await copies.held('b'))?.document).toEqual(b.document);
  });

  it('counts the bodies built from a copy towards the bound', async () => {
    // Prepare
    const copies = new UpstreamCopies({ records, maxBytes: 100 });
    const [a, b] = [copyOf('a', 30), copyOf('b', 30)];
    await copies.keep(a, body(a));
    await copies.keep(b, body(b));

    // Act
    copies.grew(b, 50);

    // Assess
    expect(b.bytes).toBe(80);
    expect(copies.recall('a')).toBeUndefined();
    expect(copies.recall('b')).toBe(b);
  });

  it('asks storage once about a package it lacks, again when told to, and shares one load among callers', async () => {
    // Prepare
    const copies = new UpstreamCopies({ records, maxBytes: 1000 });
    const load = vi.spyOn(records, 'load');
    await copies.held('a');
    await copies.held('a');
    await new UpstreamRecords({ storage, logger: noopLogger }).save(copyOf('a', 1), body(copyOf('a', 1)));

    // Act
    const stillMissing = await copies.held('a');
    const [found, same] = await Promise.all([copies.heldAfresh('a'), copies.held('a')]);

    // Assess
    expect(stillMissing).toBeUndefined();
    expect(found?.name).toBe('a');
    expect(same).toBe(found);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('forgets a package in memory and in storage', async () => {
    // Prepare
    const copies = new UpstreamCopies({ records, maxBytes: 1000 });
    const a = copyOf('a', 1);
    await copies.keep(a, body(a));

    // Act
    await copies.forget('a');

    // Assess
    expect(copies.recall('a')).toBeUndefined();
    expect(await copies.heldAfresh('a')).toBeUndefined();
  });
});
