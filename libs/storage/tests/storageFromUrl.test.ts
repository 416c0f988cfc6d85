import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultS3Client,
  FileSystemStorage,
  MemoryStorage,
  S3Storage,
  StorageErrorCode,
  storageFromUrl,
} from '../src/index.ts';

describe('storageFromUrl', () => {
  it('opens a filesystem storage for a file URL', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'storage-url-'));
    try {
      const storage = storageFromUrl(pathToFileURL(dir).href);
      await storage.put('k.json', '{}');

      expect(storage).toBeInstanceOf(FileSystemStorage);
      expect(storage.description).toBe(pathToFileURL(dir).href);
      expect((await new FileSystemStorage(dir).get('k.json'))?.body.toString()).toBe('{}');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('opens a fresh memory storage for memory://', async () => {
    const first = storageFromUrl('memory://');
    await first.put('k', 'v');

    expect(first).toBeInstanceOf(MemoryStorage);
    expect(first.description).toBe('memory://');
    expect(await storageFromUrl('memory://').get('k')).toBeUndefined();
  });

  it('opens an S3 storage for s3://bucket/prefix, creating no connection', () => {
    const storage = storageFromUrl('s3://bucket/some/prefix/');

    expect(storage).toBeInstanceOf(S3Storage);
    expect(storage.description).toBe('s3://bucket/some/prefix/');
    expect(storageFromUrl('s3://bucket').description).toBe('s3://bucket/');
  });

  it('uses the S3 client given, and names its bucket and prefix for tools that work on the bucket', () => {
    const client = defaultS3Client({}, { maxAttempts: 10, region: 'us-east-1' });
    const storage = storageFromUrl('s3://bucket/some/prefix', { s3Client: client });

    expect(storage).toBeInstanceOf(S3Storage);
    expect(storage).toMatchObject({ bucket: 'bucket', prefix: 'some/prefix/' });
    expect(Reflect.get(storage, 'client')).toBe(client);
  });

  it('refuses an s3 URL with credentials, a port or a query', () => {
    for (const url of ['s3://key:secret@bucket/p', 's3://bucket:9000/p', 's3://bucket/p?region=x']) {
      expect(() => storageFromUrl(url), url).toThrow(
        expect.objectContaining({ code: StorageErrorCode.INVALID_OPTION }),
      );
    }
  });

  it('names the supported schemes when given another one', () => {
    expect(() => storageFromUrl('gs://bucket/prefix')).toThrow(
      /"gs:" is not supported; use file:\/\/\/absolute\/path, s3:\/\/bucket\/prefix or memory:\/\//,
    );
    expect(() => storageFromUrl('gs://bucket/prefix')).toThrow(
      expect.objectContaining({ code: StorageErrorCode.INVALID_OPTION }),
    );
  });

  it('explains a value that is not a URL at all', () => {
    expect(() => storageFromUrl('./data')).toThrow(/is not a URL; use file:/);
  });

  it('refuses a file URL with a host', () => {
    let caught: unknown;
    try {
      storageFromUrl('file://server/share');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: StorageErrorCode.INVALID_OPTION });
  });
});
