import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listAll,
  type ObjectInfo,
  type ObjectStorage,
  StorageError,
  StorageErrorCode,
} from '../src/index.ts';

/** A fresh, empty storage for one test, and how to dispose of it afterwards. */
export interface StorageFixture {
  storage: ObjectStorage;
  cleanup?: () => Promise<void>;
}

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

async function* failingAfter(chunk: Buffer): AsyncGenerator<Uint8Array> {
  yield chunk;
  throw new Error('client went away');
}

/** The error a promise rejects with; fails the test if it fulfils. Awaited at once, so no rejection is ever left unhandled. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Every page of a listing, followed through its cursors with a small page size. */
async function listPaged(
  storage: ObjectStorage,
  options: { prefix?: string; delimiter?: '/' },
  limit: number,
) {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list({ ...options, limit, cursor });
    expect(page.objects.length + page.prefixes.length).toBeLessThanOrEqual(limit);
    keys.push(...page.objects.map((object) => object.key));
    prefixes.push(...page.prefixes);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { keys, prefixes };
}

const INVALID_KEYS = [
  '',
  '/leading',
  'trailing/',
  'double//slash',
  '.',
  '..',
  'a/../../escape',
  'a/./b',
  '..\\escape',
  'nul\u0000byte',
  'line\nbreak',
  'lone\ud800surrogate',
  `${'x'.repeat(256)}/too-long-segment`,
  `${'abcdefgh/'.repeat(120)}too-long-key`,
  'a/.~reserved',
];

/**
 * The behaviour every ObjectStorage backend must show, run against a factory of fresh, empty
 * storages. Backends that cannot hold a key both as an object and as a folder are never asked to.
 */
export function describeStorageContract(name: string, setup: () => Promise<StorageFixture>): void {
  describe(`${name} (ObjectStorage contract)`, () => {
    let fixture: StorageFixture;
    let storage: ObjectStorage;

    beforeEach(async () => {
      fixture = await setup();
      storage = fixture.storage;
    });

    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('describes where it stores objects', () => {
      expect(storage.description).toMatch(/^[a-z0-9]+:\/\//);
    });

    it('reads back exactly the bytes written, with matching info from put, get and head', async () => {
      // Prepare
      const body = randomBytes(4096);

      // Act
      const written = await storage.put('packages/pkg/data.bin', body);
      const read = await storage.get('packages/pkg/data.bin');
      const head = await storage.head('packages/pkg/data.bin');

      // Assess
      expect(read?.body.equals(body)).toBe(true);
      expect(written).toMatchObject({ key: 'packages/pkg/data.bin', size: 4096 });
      expect(written.etag).toMatch(/^".+"$/);
      expect(written.lastModified).toBeInstanceOf(Date);
      expect(read).toMatchObject({ key: written.key, size: written.size, etag: written.etag });
      expect(head).toMatchObject({ key: written.key, size: written.size, etag: written.etag });
      expect(head).not.toHaveProperty('body');
    });

    it('stores a string body as UTF-8 and keeps an empty body', async () => {
      await storage.put('text/unicode.txt', 'héllo ✓');
      await storage.put('text/empty.txt', new Uint8Array(0));

      expect((await storage.get('text/unicode.txt'))?.body.toString('utf8')).toBe('héllo ✓');
      expect((await storage.get('text/empty.txt'))?.size).toBe(0);
    });

    it('reads, replaces and creates cache copies like any other object', async () => {
      // Prepare
      const first = await storage.put('cached/pkg/doc.json', '{"v":1}', { cache: true });

      // Act
      const replaced = await storage.put('cached/pkg/doc.json', '{"v":2}', {
        cache: true,
        ifMatch: first.etag,
      });
      const created = storage.put('cached/pkg/doc.json', '{}', { cache: true, ifNoneMatch: '*' });

      // Assess
      await expect(created).rejects.toMatchObject({ code: 'EPRECONDITION' });
      expect(await storage.get('cached/pkg/doc.json')).toMatchObject({ etag: replaced.etag, size: 7 });
      expect((await storage.get('cached/pkg/doc.json'))?.body.toString()).toBe('{"v":2}');
    });

    it('does not let a caller change a stored object through the buffer it wrote or read', async () => {
      const body = Buffer.from('original');
      await storage.put('immutable.txt', body);
      body.fill(0);
      (await storage.get('immutable.txt'))?.body.fill(0);

      expect((await storage.get('immutable.txt'))?.body.toString()).toBe('original');
    });

    it('answers undefined or false for an object that does not exist', async () => {
      expect(await storage.get('missing/object')).toBeUndefined();
      expect(await storage.head('missing/object')).toBeUndefined();
      expect(await storage.getStream('missing/object')).toBeUndefined();
      expect(await storage.delete('missing/object')).toBe(false);
    });

    it('changes the etag whenever the content changes', async () => {
      const first = await storage.put('doc.json', '{"v":1}');
      const second = await storage.put('doc.json', '{"v":2}');
      const third = await storage.put('doc.json', '{"v":3}');

      expect(new Set([first.etag, second.etag, third.etag]).size).toBe(3);
      expect((await storage.head('doc.json'))?.etag).toBe(third.etag);
    });

    it('keeps the content type it reports consistent between put and head', async () => {
      const written = await storage.put('meta/index.json', '{}', { contentType: 'application/json' });

      expect((await storage.head('meta/index.json'))?.contentType).toBe(written.contentType);
    });

    it('streams a large body in and out unchanged', async () => {
      // Prepare
      const body = randomBytes(3 * 1024 * 1024 + 17);

      // Act
      const written = await storage.putStream('tarballs/big.tgz', chunksOf(body, 64 * 1024));
      const stream = await storage.getStream('tarballs/big.tgz');

      // Assess
      expect(written.size).toBe(body.length);
      expect(stream?.size).toBe(body.length);
      expect(stream?.etag).toBe(written.etag);
      expect(stream?.range).toBeUndefined();
      expect((await buffer(stream!.body)).equals(body)).toBe(true);
    });

    it('stores nothing when a streamed body fails part-way, and keeps the previous object', async () => {
      // Prepare
      const previous = await storage.put('tarballs/kept.tgz', 'previous');

      // Act
      const fresh = await rejectionOf(storage.putStream('tarballs/new.tgz', failingAfter(randomBytes(1024))));
      const overwrite = await rejectionOf(
        storage.putStream('tarballs/kept.tgz', failingAfter(randomBytes(1024))),
      );

      // Assess
      expect(fresh).toMatchObject({ message: 'client went away' });
      expect(overwrite).toMatchObject({ message: 'client went away' });
      expect(await storage.head('tarballs/new.tgz')).toBeUndefined();
      expect(await storage.head('tarballs/kept.tgz')).toMatchObject({ etag: previous.etag });
      expect((await storage.get('tarballs/kept.tgz'))?.body.toString()).toBe('previous');
      expect((await collect(listAll(storage))).map((object) => object.key)).toEqual(['tarballs/kept.tgz']);
    });

    it('reads an inclusive byte range, clamping an end past the last byte', async () => {
      // Prepare
      const body = Buffer.from('0123456789');
      await storage.put('range.bin', body);

      // Act
      const middle = await storage.getStream('range.bin', { start: 2, end: 5 });
      const tail = await storage.getStream('range.bin', { start: 7 });
      const clamped = await storage.getStream('range.bin', { start: 8, end: 100 });

      // Assess
      expect(middle?.range).toEqual({ start: 2, end: 5 });
      expect(middle?.size).toBe(10);
      expect((await buffer(middle!.body)).toString()).toBe('2345');
      expect((await buffer(tail!.body)).toString()).toBe('789');
      expect(clamped?.range).toEqual({ start: 8, end: 9 });
      expect((await buffer(clamped!.body)).toString()).toBe('89');
    });

    it('refuses a range that starts past the end with ERANGE and its size, and a malformed range', async () => {
      await storage.put('range.bin', '0123456789');

      const outside = await rejectionOf(storage.getStream('range.bin', { start: 10 }));
      expect(outside).toBeInstanceOf(StorageError);
      expect(outside).toMatchObject({ code: StorageErrorCode.RANGE, key: 'range.bin', size: 10 });
      await expect(storage.getStream('range.bin', { start: 5, end: 4 })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      await expect(storage.getStream('range.bin', { start: -1 })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
    });

    it('creates with ifNoneMatch "*" only when no object exists', async () => {
      // Prepare
      const created = await storage.put('once.json', 'first', { ifNoneMatch: '*' });

      // Act
      const again = await rejectionOf(storage.put('once.json', 'second', { ifNoneMatch: '*' }));

      // Assess
      expect(again).toBeInstanceOf(StorageError);
      expect(again).toMatchObject({ code: StorageErrorCode.PRECONDITION, key: 'once.json' });
      expect(await storage.head('once.json')).toMatchObject({ etag: created.etag });
      expect((await storage.get('once.json'))?.body.toString()).toBe('first');
    });

    it('replaces with ifMatch only while the etag is current and the object exists', async () => {
      // Prepare
      const first = await storage.put('cas.json', 'v1');
      const second = await storage.put('cas.json', 'v2', { ifMatch: first.etag });

      // Act
      const stale = await rejectionOf(storage.put('cas.json', 'stale', { ifMatch: first.etag }));
      const absent = await rejectionOf(storage.put('absent.json', 'x', { ifMatch: first.etag }));
      const streamedStale = await rejectionOf(
        storage.putStream('cas.json', chunksOf(Buffer.from('stale'), 2), {
          ifMatch: first.etag,
        }),
      );

      // Assess
      expect(stale).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      expect(absent).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      expect(streamedStale).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      expect(await storage.head('absent.json')).toBeUndefined();
      expect(await storage.get('cas.json')).toMatchObject({ etag: second.etag, body: Buffer.from('v2') });
    });

    it('rejects conditions no backend could evaluate', async () => {
      await expect(storage.put('x.json', 'x', { ifNoneMatch: 'etag' as '*' })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      await expect(storage.put('x.json', 'x', { ifMatch: '' })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      expect(await storage.head('x.json')).toBeUndefined();
    });

    it('deletes with ifMatch only while the etag is current', async () => {
      // Prepare
      const first = await storage.put('del.json', 'v1');
      const second = await storage.put('del.json', 'v2');

      // Act
      const stale = await rejectionOf(storage.delete('del.json', { ifMatch: first.etag }));
      const absent = await rejectionOf(storage.delete('never.json', { ifMatch: first.etag }));

      // Assess
      expect(stale).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      expect(absent).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      expect(await storage.head('del.json')).toMatchObject({ etag: second.etag });
      expect(await storage.delete('del.json', { ifMatch: second.etag })).toBe(true);
      expect(await storage.head('del.json')).toBeUndefined();
    });

    it('lets exactly one of many concurrent creates win', async () => {
      // Prepare
      const bodies = Array.from({ length: 25 }, (_, index) => `writer ${index}`);

      // Act
      const results = await Promise.allSettled(
        bodies.map((body) => storage.put('race/create.json', body, { ifNoneMatch: '*' })),
      );

      // Assess
      const winners = results.filter((result) => result.status === 'fulfilled');
      const losers = results.filter((result) => result.status === 'rejected');
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect(loser.reason).toMatchObject({ code: StorageErrorCode.PRECONDITION });
      const stored = await storage.get('race/create.json');
      expect(stored?.etag).toBe(winners[0]?.value.etag);
      expect(bodies[results.indexOf(winners[0]!)]).toBe(stored?.body.toString());
    });

    it('lets exactly one of many concurrent replaces of the same version win', async () => {
      // Prepare
      const base = await storage.put('race/replace.json', 'base');
      const bodies = Array.from({ length: 25 }, (_, index) => `writer ${index}`);

      // Act
      const results = await Promise.allSettled(
        bodies.map((body) => storage.put('race/replace.json', body, { ifMatch: base.etag })),
      );

      // Assess
      const winners = results.filter((result) => result.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result.status === 'rejected')).toHaveLength(24);
      const stored = await storage.get('race/replace.json');
      expect(stored?.body.toString()).toBe(bodies[results.indexOf(winners[0]!)]);
    });

    it('rejects every invalid key with EINVALIDKEY on every operation and stores nothing', async () => {
      for (const key of INVALID_KEYS) {
        await expect(storage.put(key, 'x'), key).rejects.toMatchObject({
          code: StorageErrorCode.INVALID_KEY,
          key,
        });
        await expect(storage.putStream(key, chunksOf(Buffer.from('x'), 1)), key).rejects.toMatchObject({
          code: StorageErrorCode.INVALID_KEY,
        });
        await expect(storage.get(key), key).rejects.toMatchObject({ code: StorageErrorCode.INVALID_KEY });
        await expect(storage.getStream(key), key).rejects.toMatchObject({
          code: StorageErrorCode.INVALID_KEY,
        });
        await expect(storage.head(key), key).rejects.toMatchObject({ code: StorageErrorCode.INVALID_KEY });
        await expect(storage.delete(key), key).rejects.toMatchObject({ code: StorageErrorCode.INVALID_KEY });
      }
      expect(await collect(listAll(storage))).toEqual([]);
    });

    it('accepts scoped package names, unicode and punctuation in keys', async () => {
      const keys = ['@scope/name.json', 'ключ/日本語.txt', "odd/it's (1) [x] {y} ~z!.json", 'dots/..a/b..'];
      for (const key of keys) await storage.put(key, key);
      for (const key of keys) expect((await storage.get(key))?.body.toString()).toBe(key);
    });

    it('lists keys in UTF-8 byte order across folders', async () => {
      // Prepare: '-' and '.' sort before '/', and U+1F600 sorts after U+FF5A in UTF-8 (not in UTF-16).
      const keys = ['a/b', 'a-b', 'a.b', 'a/c/d', 'a0', 'b/\u{ff5a}', 'b/\u{1f600}', 'b/z', 'b/é', 'B'];
      for (const key of [...keys].reverse()) await storage.put(key, key);

      // Act
      const listed = (await collect(listAll(storage))).map((object) => object.key);

      // Assess
      const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(listed).toEqual(byBytes);
    });

    it('lists only keys starting with the prefix, which may end mid-segment', async () => {
      for (const key of ['pk/@a/one', 'pk/@ab/two', 'pk/@b/three', 'pk-other', 'pk/@a-x'])
        await storage.put(key, key);

      const partial = (await storage.list({ prefix: 'pk/@a' })).objects.map((object) => object.key);
      const folder = (await storage.list({ prefix: 'pk/@a/' })).objects.map((object) => object.key);
      const none = await storage.list({ prefix: 'zzz/' });

      expect(partial).toEqual(['pk/@a-x', 'pk/@a/one', 'pk/@ab/two']);
      expect(folder).toEqual(['pk/@a/one']);
      expect(none).toEqual({ objects: [], prefixes: [] });
    });

    it('groups keys into folders with the delimiter', async () => {
      // Prepare
      for (const key of ['t/a/1', 't/a/2', 't/b/x/1', 't/c', 't/d/1', 'u/1']) await storage.put(key, key);

      // Act
      const top = await storage.list({ delimiter: '/' });
      const inner = await storage.list({ prefix: 't/', delimiter: '/' });
      const partial = await storage.list({ prefix: 't/b', delimiter: '/' });

      // Assess
      expect(top).toEqual({ objects: [], prefixes: ['t/', 'u/'] });
      expect(inner.prefixes).toEqual(['t/a/', 't/b/', 't/d/']);
      expect(inner.objects.map((object: ObjectInfo) => object.key)).toEqual(['t/c']);
      expect(inner.cursor).toBeUndefined();
      expect(partial).toEqual({ objects: [], prefixes: ['t/b/'] });
    });

    it('pages through objects and folders with a cursor, each entry once', async () => {
      // Prepare
      const keys = Array.from(
        { length: 23 },
        (_, index) => `p/${String(index % 7)}/k${String(index).padStart(2, '0')}`,
      );
      const flat = Array.from({ length: 5 }, (_, index) => `p/flat-${index}`);
      for (const key of [...keys, ...flat]) await storage.put(key, key);

      // Act
      const all = await listPaged(storage, { prefix: 'p/' }, 4);
      const folders = await listPaged(storage, { prefix: 'p/', delimiter: '/' }, 2);

      // Assess
      expect(all.keys).toEqual([...keys, ...flat].sort());
      expect(folders.prefixes).toEqual(['p/0/', 'p/1/', 'p/2/', 'p/3/', 'p/4/', 'p/5/', 'p/6/']);
      expect(folders.keys).toEqual(flat);
    });

    it('gives a cursor only when more entries follow', async () => {
      for (const key of ['c/1', 'c/2', 'c/3']) await storage.put(key, key);

      expect((await storage.list({ prefix: 'c/', limit: 3 })).cursor).toBeUndefined();
      expect((await storage.list({ prefix: 'c/', limit: 2 })).cursor).toBeDefined();
      expect((await storage.list({ prefix: 'c/' })).objects).toHaveLength(3);
    });

    // 1,005 writes: seconds against a real S3 server (s3rver), more on a busy machine.
    it('lists everything with listAll, beyond one page', { timeout: 60_000 }, async () => {
      const keys = Array.from({ length: 1005 }, (_, index) => `many/${String(index).padStart(4, '0')}`);
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(keys.slice(start, start + 50).map((key) => storage.put(key, '')));
      }

      const page = await storage.list({ prefix: 'many/', limit: 5000 });
      const listed = (await collect(listAll(storage, 'many/'))).map((object) => object.key);

      expect(page.objects).toHaveLength(1000);
      expect(page.cursor).toBeDefined();
      expect(listed).toEqual(keys);
    });

    it('stops listing a deleted object', async () => {
      await storage.put('gone/a', 'a');
      await storage.put('gone/b', 'b');
      expect(await storage.delete('gone/a')).toBe(true);

      expect((await collect(listAll(storage))).map((object) => object.key)).toEqual(['gone/b']);
    });

    it('rejects unusable list options', async () => {
      await expect(storage.list({ limit: 0 })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      await expect(storage.list({ limit: 1.5 })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      await expect(storage.list({ delimiter: '|' as '/' })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_OPTION,
      });
      await expect(storage.list({ prefix: '../' })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_KEY,
      });
      await expect(storage.list({ prefix: 'a//' })).rejects.toMatchObject({
        code: StorageErrorCode.INVALID_KEY,
      });
    });
  });
}
