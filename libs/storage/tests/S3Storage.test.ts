import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3Storage, StorageErrorCode, storageFromUrl } from '../src/index.ts';
import { describeStorageContract, rejectionOf } from './contract.ts';
import { type S3Fixture, startS3rver } from './support/s3rver.ts';

let s3: S3Fixture;

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => {
  await s3.stop();
});

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

describeStorageContract('S3Storage on s3rver', async () => ({
  storage: new S3Storage({ client: s3.client(), bucket: await s3.createBucket(), prefix: 'registry' }),
}));

describe('S3Storage on s3rver', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('opens s3://bucket/prefix with the client of the standard SDK configuration', async () => {
    // Prepare
    const bucket = await s3.createBucket();
    for (const [name, value] of Object.entries(s3.env())) vi.stubEnv(name, value);

    // Act
    const storage = storageFromUrl(`s3://${bucket}/registry`);
    await storage.checkConditionalWrites?.();
    await storage.put('a.json', '{}');

    // Assess
    const direct = new S3Storage({ client: s3.client(), bucket });
    expect((await direct.list()).objects.map((object) => object.key)).toEqual(['registry/a.json']);
  });

  it('opens s3:// with SSE-KMS under the key storageFromUrl is given (REGISTRY_S3_KMS_KEY_ID)', async () => {
    const bucket = await s3.createBucket();
    for (const [name, value] of Object.entries(s3.env())) vi.stubEnv(name, value);

    await storageFromUrl(`s3://${bucket}/kms`, { kmsKeyId: 'alias/registry' }).put('a.json', '{}');

    const seen = s3.writes.filter((write) => write.key.startsWith(`/${bucket}/`));
    expect(seen.map((write) => [write.encryption, write.kmsKeyId])).toEqual([['aws:kms', 'alias/registry']]);
  });

  it('keeps the content encoding a write names, which a signed GET answers with', async () => {
    const storage = new S3Storage({ client: s3.client(), bucket: await s3.createBucket() });
    const gzipped = gzipSync('{"name":"a"}');
    await storage.put('rendered/a.json', gzipped, {
      contentType: 'application/json',
      contentEncoding: 'gzip',
    });

    const signed = await storage.signedUrl('rendered/a.json', { method: 'GET', expiresInSeconds: 60 });
    const response = await fetch(signed.url);

    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('application/json');
    // The client decodes the stored bytes by that header, as npm and pnpm do.
    expect(await response.text()).toBe('{"name":"a"}');
  });

  it('encrypts every write with SSE-S3, or SSE-KMS under the given key', async () => {
    const bucket = await s3.createBucket();
    const sseS3 = new S3Storage({ client: s3.client(), bucket });
    const sseKms = new S3Storage({ client: s3.client(), bucket, prefix: 'kms', kmsKeyId: 'alias/registry' });

    await sseS3.put('a.json', '{}');
    await sseS3.putStream('b.tgz', chunks(randomBytes(6 * 1024 * 1024), 256 * 1024));
    await sseKms.put('c.json', '{}', { ifNoneMatch: '*' });

    const seen = s3.writes.filter((write) => write.key.startsWith(`/${bucket}/`));
    expect(seen.map((write) => [write.key, write.encryption, write.kmsKeyId])).toEqual([
      [`/${bucket}/a.json`, 'AES256', undefined],
      [`/${bucket}/b.tgz`, 'AES256', undefined],
      [`/${bucket}/kms/c.json`, 'aws:kms', 'alias/registry'],
    ]);
  });

  it('keeps the conditions of a streamed body larger than one part (a multipart upload)', async () => {
    const storage = new S3Storage({ client: s3.client(), bucket: await s3.createBucket() });
    const body = randomBytes(6 * 1024 * 1024);
    const first = await storage.putStream('big.tgz', chunks(body, 512 * 1024), { ifNoneMatch: '*' });

    const again = await rejectionOf(
      storage.putStream('big.tgz', chunks(body, 512 * 1024), { ifNoneMatch: '*' }),
    );
    const stale = await rejectionOf(
      storage.putStream('big.tgz', chunks(randomBytes(6 * 1024 * 1024), 512 * 1024), { ifMatch: '"stale"' }),
    );

    expect(again).toMatchObject({ code: StorageErrorCode.PRECONDITION });
    expect(stale).toMatchObject({ code: StorageErrorCode.PRECONDITION });
    expect(await storage.head('big.tgz')).toMatchObject({ etag: first.etag, size: body.length });
  });

  it('passes the conditional-write probe where writes are conditional, and fails where they are not', async () => {
    const bucket = await s3.createBucket();
    const conditional = new S3Storage({ client: s3.client(), bucket });
    const bare = new S3Storage({ client: s3.client({ conditional: false }), bucket, prefix: 'bare' });

    await conditional.checkConditionalWrites();
    const failure = await rejectionOf(bare.checkConditionalWrites());

    expect(failure).toMatchObject({ code: StorageErrorCode.INVALID_OPTION });
    expect(String(failure)).toMatch(/ignores conditional writes/);
    expect((await conditional.list()).objects).toEqual([]);
  });

  it('signs URLs that read and write an object without credentials, the write with its encryption', async () => {
    const bucket = await s3.createBucket();
    const storage = new S3Storage({ client: s3.client(), bucket, prefix: 'registry' });
    await storage.put('a.tgz', 'stored');

    const read = await storage.signedUrl('a.tgz', { method: 'GET', expiresInSeconds: 60 });
    const write = await storage.signedUrl('pending/b.tgz', { method: 'PUT', expiresInSeconds: 60 });
    const fetched = await fetch(read.url);
    const uploaded = await fetch(write.url, { method: 'PUT', headers: write.headers, body: 'uploaded' });

    expect([fetched.status, await fetched.text()]).toEqual([200, 'stored']);
    expect(uploaded.status).toBe(200);
    expect((await storage.get('pending/b.tgz'))?.body.toString()).toBe('uploaded');
    // s3rver does not check which headers were signed; S3 refuses a request without them.
    expect(write.headers).toEqual({
      'content-type': 'application/octet-stream',
      'x-amz-server-side-encryption': 'AES256',
    });
    const signed = new URL(write.url).searchParams;
    expect(signed.get('X-Amz-SignedHeaders')?.split(';')).toEqual([
      'content-type',
      'host',
      'x-amz-server-side-encryption',
    ]);
    // A checksum in the URL would be of an empty body, and S3 would refuse the upload.
    expect([...signed.keys()].filter((name) => name.startsWith('x-amz-checksum'))).toEqual([]);
    expect(read.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a signed URL that would outlive what S3 allows', async () => {
    const storage = new S3Storage({ client: s3.client(), bucket: await s3.createBucket() });

    const failure = await rejectionOf(
      storage.signedUrl('a.tgz', { method: 'GET', expiresInSeconds: 604_801 }),
    );

    expect(failure).toMatchObject({ code: StorageErrorCode.INVALID_OPTION });
  });
});
