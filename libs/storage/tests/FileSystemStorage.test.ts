import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemStorage, listAll, StorageErrorCode } from '../src/index.ts';
import { describeStorageContract, rejectionOf } from './contract.ts';

async function temporaryDirectory(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'storage-fs-'));
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function* failingBody(): AsyncGenerator<Uint8Array> {
  yield Buffer.from('partial');
  throw new Error('body failed');
}

describeStorageContract('FileSystemStorage', async () => {
  const dir = await temporaryDirectory();
  return {
    storage: new FileSystemStorage(path.join(dir, 'root')),
    cleanup: () => rm(dir, { recursive: true }),
  };
});

describe('FileSystemStorage', () => {
  let dir: string;
  let root: string;
  let storage: FileSystemStorage;

  beforeEach(async () => {
    dir = await temporaryDirectory();
    root = path.join(dir, 'root');
    storage = new FileSystemStorage(root);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores each key as a plain file under the root', async () => {
    await storage.put('packuments/@scope/name.json', '{"name":"@scope/name"}');

    expect(await readFile(path.join(root, 'packuments', '@scope', 'name.json'), 'utf8')).toBe(
      '{"name":"@scope/name"}',
    );
    expect(await allFiles(root)).toEqual([path.join('packuments', '@scope', 'name.json')]);
  });

  it('leaves no temporary file behind after replacing, creating, caching or failing a write', async () => {
    // Prepare
    await storage.put('docs/a.json', '1');

    // Act
    await storage.put('docs/a.json', '2');
    await storage.put('docs/b.json', '3', { ifNoneMatch: '*' });
    await storage.put('docs/c.json', '4', { cache: true });
    const conflict = storage.put('docs/b.json', '5', { ifNoneMatch: '*' });
    const failing = storage.putStream('docs/d.json', failingBody());

    // Assess
    await expect(conflict).rejects.toMatchObject({ code: 'EPRECONDITION' });
    await expect(failing).rejects.toThrow('body failed');
    expect(await readdir(path.join(root, 'docs'))).toEqual(['a.json', 'b.json', 'c.json']);
    expect((await storage.get('docs/a.json'))?.body.toString()).toBe('2');
  });

  it('is described and created from its file URL', async () => {
    const fromUrl = FileSystemStorage.fromUrl(pathToFileURL(root).href);
    await storage.put('a.json', '1');

    expect(storage.description).toBe(pathToFileURL(root).href);
    expect(fromUrl.root).toBe(root);
    expect((await fromUrl.get('a.json'))?.body.toString()).toBe('1');
    expect(() => FileSystemStorage.fromUrl('https://example.invalid/x')).toThrow(
      expect.objectContaining({ code: StorageErrorCode.INVALID_OPTION }),
    );
  });

  it('derives the content type from the extension and ignores the one given', async () => {
    const json = await storage.put('doc.json', '{}', { contentType: 'text/plain' });
    const tarball = await storage.put('pkg/-/pkg-1.0.0.tgz', 'x');
    const other = await storage.put('notes', 'x');

    expect(json.contentType).toBe('application/json');
    expect((await storage.head('pkg/-/pkg-1.0.0.tgz'))?.contentType).toBe(tarball.contentType);
    expect(tarball.contentType).toBe('application/octet-stream');
    expect(other.contentType).toBeUndefined();
  });

  it('gives every write a new etag, even for the same content written in a burst', async () => {
    const etags = new Set<string>();
    for (let index = 0; index < 200; index++)
      etags.add((await storage.put('same.json', '{"same":true}')).etag);

    expect(etags.size).toBe(200);
  });

  it('changes the etag when the file is changed behind its back', async () => {
    const written = await storage.put('edited.json', '{"a":1}');
    await writeFile(path.join(root, 'edited.json'), '{"a":2}');

    expect((await storage.head('edited.json'))?.etag).not.toBe(written.etag);
  });

  it('never writes outside its root, whatever the key', async () => {
    // Prepare
    const outside = ['../outside', 'a/../../outside', '..\\outside', '/tmp/outside', 'a/./b'];
    await storage.put('inside.json', '{}');

    // Act
    for (const key of outside)
      await expect(storage.put(key, 'x')).rejects.toMatchObject({ code: StorageErrorCode.INVALID_KEY });

    // Assess
    expect(await readdir(dir)).toEqual(['root']);
    expect(await allFiles(root)).toEqual(['inside.json']);
  });

  it('refuses a key that would be both an object and a folder, keeping both sides intact', async () => {
    // Prepare
    await storage.put('a/b', 'object');
    await storage.put('c/d/e', 'nested');

    // Act
    const underObject = await rejectionOf(storage.put('a/b/c', 'x'));
    const overFolder = await rejectionOf(storage.put('c/d', 'x'));
    const createOverFolder = await rejectionOf(storage.put('c/d', 'x', { ifNoneMatch: '*' }));

    // Assess
    expect(underObject).toMatchObject({ code: StorageErrorCode.KEY_CONFLICT, key: 'a/b/c' });
    expect(overFolder).toMatchObject({ code: StorageErrorCode.KEY_CONFLICT });
    expect(createOverFolder).toMatchObject({ code: StorageErrorCode.KEY_CONFLICT });
    expect((await storage.get('a/b'))?.body.toString()).toBe('object');
    expect((await storage.get('c/d/e'))?.body.toString()).toBe('nested');
    expect(await storage.get('c/d')).toBeUndefined();
    expect(await storage.head('a/b/c')).toBeUndefined();
    expect(await storage.delete('c/d')).toBe(false);
    expect((await allFiles(root)).filter((file) => path.basename(file).startsWith('.~'))).toEqual([]);
  });

  it('removes folders a delete leaves empty, but never the root', async () => {
    await storage.put('x/y/z/only.json', '1');
    await storage.put('x/keep.json', '1');

    await storage.delete('x/y/z/only.json');
    await storage.delete('x/keep.json');

    expect(await readdir(root)).toEqual([]);
  });

  it('keeps writing into a folder while deletes of its last object prune it', async () => {
    // Prepare
    const rounds = Array.from({ length: 60 }, (_, round) => round);

    // Act: each round empties the folder (so the delete prunes it) while new objects go in.
    for (const round of rounds) {
      await storage.put('busy/folder/last', 'x');
      await Promise.all([
        storage.delete('busy/folder/last'),
        storage.put(`busy/folder/new-${round}`, String(round)),
        storage.put(`busy/folder/deeper/new-${round}`, String(round)),
      ]);
      await Promise.all([
        storage.delete(`busy/folder/new-${round}`),
        storage.delete(`busy/folder/deeper/new-${round}`),
      ]);
    }
    await storage.put('busy/folder/final', 'done');

    // Assess
    expect((await storage.list({ prefix: 'busy/' })).objects.map((object) => object.key)).toEqual([
      'busy/folder/final',
    ]);
  });

  it('ignores temporary files and foreign entries in listings and sweeps stale temporary files', async () => {
    // Prepare: leftovers of crashed writes, one old and one fresh, next to a real object and junk.
    await storage.put('pkg/index.json', '{}');
    const stale = path.join(root, 'pkg', '.~stale.tmp');
    const fresh = path.join(root, 'pkg', '.~fresh.tmp');
    await writeFile(stale, 'partial');
    await writeFile(fresh, 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    await writeFile(path.join(root, 'pkg', 'back\\slash'), 'junk');
    await mkdir(path.join(root, 'empty-folder'));

    // Act
    const listed = (await storage.list()).objects.map((object) => object.key);
    const folders = await storage.list({ delimiter: '/' });
    const removed = await storage.sweepTemporaryFiles(60_000);

    // Assess
    expect(listed).toEqual(['pkg/index.json']);
    expect(folders.prefixes).toEqual(['pkg/']);
    expect(removed).toBe(1);
    await expect(stat(stale)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(fresh)).isFile()).toBe(true);
    expect(await storage.sweepTemporaryFiles(0)).toBe(1);
    expect(await new FileSystemStorage(path.join(dir, 'never-made')).sweepTemporaryFiles(0)).toBe(0);
  });

  it('answers empty reads and listings for a root that does not exist yet', async () => {
    const missing = new FileSystemStorage(path.join(dir, 'missing'));

    expect(await missing.list()).toEqual({ objects: [], prefixes: [] });
    expect(await missing.get('a')).toBeUndefined();
  });

  it('lists objects from separate instances over one directory and shares their locks', async () => {
    // Prepare
    const other = new FileSystemStorage(root);
    const base = await storage.put('shared.json', 'base');

    // Act
    const results = await Promise.allSettled([
      storage.put('shared.json', 'one', { ifMatch: base.etag }),
      other.put('shared.json', 'two', { ifMatch: base.etag }),
    ]);

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await listAll(other).next()).value?.key).toBe('shared.json');
  });
});
