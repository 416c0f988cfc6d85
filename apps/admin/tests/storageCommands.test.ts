import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  CopyObjectCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3Error } from '../../../libs/storage/tests/support/s3Error.ts';
import { runCli } from '../src/cli/runCli.ts';
import { startProgress } from '../src/storageTools/progress.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { tempDir, testDir, testIo } from './support/testIo.ts';

// S3's answers s3rver cannot give (no bucket, access denied, throttling), on every call each command makes.
const s3 = mockSdkClient(S3Client);

const failures = {
  NotFound: { error: () => s3Error('NoSuchBucket', 404), says: /fix: Check the bucket name/ },
  AccessDenied: { error: () => s3Error('AccessDenied', 403), says: /fix: Grant the caller s3:ListBucket/ },
  Throttling: { error: () => s3Error('SlowDown', 503), says: /SlowDown[\s\S]*again/ },
};

const tarball = Buffer.from('not really gzip, but bytes with a hash');
const shasum = createHash('sha1').update(tarball).digest('hex');
const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
const manifest = { name: 'a', version: '1.0.0', dist: { shasum, integrity, tarball: 'a/-/a-1.0.0.tgz' } };
const packument = {
  _id: 'a',
  _rev: '1-x',
  name: 'a',
  'dist-tags': { latest: '1.0.0' },
  versions: { '1.0.0': manifest },
  time: {
    created: '2020-01-01T00:00:00.000Z',
    modified: '2020-01-01T00:00:00.000Z',
    '1.0.0': '2020-01-01T00:00:00.000Z',
  },
};

/** The objects of the mocked buckets, by `<bucket>/<key>`. */
const objects = new Map<string, Buffer>([
  ['reg/p/packuments/a.json', Buffer.from(JSON.stringify(packument))],
  [`reg/p/tarballs/a/1.0.0/${shasum}.tgz`, tarball],
  ['reg/p/rendered/a/e.gzip.json', Buffer.from('{}')],
  ['old/a/index.json', Buffer.from(JSON.stringify({ ...packument, versions: { '1.0.0': manifest } }))],
  ['old/a/1.0.0.tgz', tarball],
]);

/** A working bucket behind the mock: each test then breaks one call. */
function serveObjects(): void {
  const stored = new Map(objects);
  const found = (bucket = '', key = '') => stored.get(`${bucket}/${key}`);
  const missing = () => s3Error('NoSuchKey', 404);
  s3.on(ListObjectsV2Command).callsFake(({ Bucket, Prefix = '' }) => ({
    Contents: [...stored.keys()]
      .filter((path) => path.startsWith(`${Bucket}/${Prefix}`))
      .map((path) => ({ Key: path.slice(`${Bucket}/`.length), Size: 1, ETag: '"e"' })),
    IsTruncated: false,
  }));
  s3.on(GetObjectCommand).callsFake(({ Bucket, Key }) => {
    const body = found(Bucket, Key);
    if (body === undefined) throw missing();
    return { Body: Readable.from([body]), ContentLength: body.byteLength, ETag: '"e"' };
  });
  s3.on(HeadObjectCommand).callsFake(({ Bucket, Key }) => {
    const body = found(Bucket, Key);
    if (body === undefined) throw missing();
    return { ContentLength: body.byteLength, ETag: '"e"' };
  });
  s3.on(PutObjectCommand).resolves({ ETag: '"new"' });
  s3.on(DeleteObjectCommand).resolves({});
  s3.on(DeleteObjectsCommand).callsFake(({ Bucket, Delete }) => {
    for (const { Key } of Delete?.Objects ?? []) stored.delete(`${Bucket}/${Key}`);
    return {};
  });
  s3.on(CopyObjectCommand).resolves({});
  s3.on(DeleteBucketCommand).resolves({});
}

/** Makes one S3 call fail, by the name of its command. */
const breakCall = {
  ListObjectsV2: (error: Error) => s3.on(ListObjectsV2Command).rejects(error),
  GetObject: (error: Error) => s3.on(GetObjectCommand).rejects(error),
  HeadObject: (error: Error) => s3.on(HeadObjectCommand).rejects(error),
  PutObject: (error: Error) => s3.on(PutObjectCommand).rejects(error),
  DeleteObject: (error: Error) => s3.on(DeleteObjectCommand).rejects(error),
  DeleteObjects: (error: Error) => s3.on(DeleteObjectsCommand).rejects(error),
  CopyObject: (error: Error) => s3.on(CopyObjectCommand).rejects(error),
  DeleteBucket: (error: Error) => s3.on(DeleteBucketCommand).rejects(error),
};
type Call = keyof typeof breakCall;

/** Each command with the S3 calls it makes (HEADs of S3Storage read any 404 as "no object", so not those). */
const paths: { args: (dir: string) => string[]; calls: Call[] }[] = [
  {
    args: () => ['import-codebox', '--from', 's3://old', '--storage', 's3://target/p'],
    calls: ['ListObjectsV2', 'GetObject', 'PutObject'],
  },
  { args: () => ['verify', '--storage', 's3://reg/p'], calls: ['ListObjectsV2', 'GetObject'] },
  {
    args: () => ['reindex', '--storage', 's3://reg/p'],
    calls: ['ListObjectsV2', 'GetObject', 'DeleteObject'],
  },
  {
    args: () => ['encrypt', '--storage', 's3://reg/p', '--kms-key', 'k'],
    calls: ['ListObjectsV2', 'HeadObject', 'CopyObject'],
  },
  {
    args: (dir) => ['export', '--storage', 's3://reg/p', '--to', join(dir, 'backup.tar')],
    calls: ['ListObjectsV2', 'GetObject'],
  },
  {
    args: () => ['remove-storage', '--storage', 's3://reg', '--yes'],
    calls: ['ListObjectsV2', 'DeleteObjects', 'DeleteBucket'],
  },
];

describe('storage commands against S3 failures (mocked S3 client)', () => {
  let backup: string;
  const env = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' };
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, env);
    s3.reset();
    serveObjects();
    const { dir, remove } = await tempDir();
    backup = join(dir, 'backup.tar');
    const io = testIo(dir, env);
    expect(await runCli(['export', '--storage', 's3://reg/p', '--to', backup], io)).toBe(0);
    return async () => {
      process.env = saved;
      await remove();
    };
  });

  beforeEach(() => {
    s3.reset();
    serveObjects();
  });

  it('every command succeeds on the working mock', async () => {
    const dir = await testDir();
    for (const { args } of paths) {
      const io = testIo(dir, env);
      expect(await runCli(args(dir), io), `${args(dir).join(' ')}\n${io.out()}${io.err()}`).toBe(0);
    }
  });

  for (const { args, calls } of paths) {
    for (const call of calls) {
      for (const [kind, { error, says }] of Object.entries(failures)) {
        it(`${args('.')[0]}: ${kind} on ${call} says what to do`, async () => {
          const dir = await testDir();
          breakCall[call](error());
          const io = testIo(dir, env);

          const code = await runCli(args(dir), io);

          expect(code).toBe(1);
          expect(io.out() + io.err()).toMatch(says);
        });
      }
    }
  }

  for (const [kind, { error, says }] of Object.entries(failures)) {
    it(`import: ${kind} on PutObject says what to do`, async () => {
      const dir = await testDir();
      breakCall.PutObject(error());
      const io = testIo(dir, env);

      const code = await runCli(['import', '--storage', 's3://target/p', '--from', backup], io);

      expect(code).toBe(1);
      expect(io.out() + io.err()).toMatch(says);
    });
  }

  it('encrypt skips what is already encrypted with the key asked for, and copies the rest onto itself', async () => {
    const dir = await testDir();
    s3.on(HeadObjectCommand).callsFake(({ Key }) =>
      Key?.endsWith('.tgz')
        ? { ETag: '"t"', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:eu-west-1:1:key/k' }
        : { ETag: '"j"', ServerSideEncryption: 'AES256' },
    );
    const io = testIo(dir, env);

    expect(await runCli(['encrypt', '--storage', 's3://reg/p', '--kms-key', 'k'], io)).toBe(0);

    expect(io.out()).toContain('encrypt: 2 objects encrypted, 1 already encrypted');
    const copies = s3.commandCalls(CopyObjectCommand).map((copy) => copy.args[0].input);
    expect(copies).toContainEqual(
      expect.objectContaining({
        Key: 'p/packuments/a.json',
        CopySource: 'reg/p%2Fpackuments%2Fa.json',
        CopySourceIfMatch: '"j"',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: 'k',
      }),
    );
  });

  it('encrypt refuses a directory, and a dry run copies nothing', async () => {
    const dir = await testDir();
    const io = testIo(dir, env);
    expect(await runCli(['encrypt', '--storage', dir], io)).toBe(1);
    expect(io.err()).toMatch(/is not S3 storage[\s\S]*fix: pass --storage s3:/);

    const dry = testIo(dir, env);
    expect(await runCli(['encrypt', '--storage', 's3://reg/p', '--dry-run'], dry)).toBe(0);
    expect(dry.out()).toContain('dry run: nothing was written');
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  it('remove-storage deletes the bucket only when the storage is the whole bucket', async () => {
    const dir = await testDir();
    const io = testIo(dir, env);
    expect(await runCli(['remove-storage', '--storage', 's3://reg/p', '--yes'], io)).toBe(0);
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input.Delete?.Objects).toHaveLength(3);
  });
});

describe('storage commands on a directory', () => {
  async function directory(files: Record<string, string | Buffer>): Promise<string> {
    const dir = await testDir();
    for (const [key, body] of Object.entries(files)) {
      await mkdir(dirname(join(dir, key)), { recursive: true });
      await writeFile(join(dir, key), body);
    }
    return dir;
  }

  it('import-codebox --dry-run checks a codebox layout and writes nothing', async () => {
    const old = await directory({ 'a/index.json': JSON.stringify(packument), 'a/1.0.0.tgz': tarball });
    const target = await testDir();
    const io = testIo(target);

    const code = await runCli(['import-codebox', '--from', old, '--storage', target, '--dry-run'], io);

    expect(code, io.err()).toBe(0);
    expect(io.out()).toContain('import-codebox: 1 packages, 1 versions imported');
    expect(io.out()).toContain('dry run: nothing was written');
    expect(await readdir(target)).toEqual([]);
  });

  it('remove-storage removes the directory once its URL is typed', async () => {
    const dir = await directory({ 'packuments/a.json': JSON.stringify(packument) });
    const url = pathToFileURL(dir).href;
    const io = testIo(dir, {}, `${url}\n`);

    expect(await runCli(['remove-storage', '--storage', url], io)).toBe(0);

    expect(io.err()).toContain(`Type the URL to confirm`);
    expect(io.out()).toContain('remove-storage: 1 objects removed');
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a bad --concurrency and a memory:// storage, and says migrate-domain is not needed', async () => {
    const dir = await testDir();
    const bad = testIo(dir);
    expect(await runCli(['verify', '--storage', dir, '--concurrency', '0'], bad)).not.toBe(0);
    expect(bad.err()).toContain('--concurrency must be a whole number from 1 to 256, not "0"');
    const memory = testIo(dir);
    expect(await runCli(['verify', '--storage', 'memory://'], memory)).toBe(1);
    expect(memory.err()).toMatch(/memory:\/\/ storage lives inside the registry process/);
    const domain = testIo(dir);
    expect(await runCli(['migrate-domain'], domain)).toBe(0);
    expect(domain.out()).toMatch(/^not needed: the registry stores relative tarball paths/);
  });

  it('shows a progress bar with counts and rate on a terminal', async () => {
    const dir = await testDir();
    const io = { ...testIo(dir), isTTY: true };
    const progress = startProgress(io, 'verify');
    progress.add(4);
    progress.done(2);
    await new Promise((resolve) => setTimeout(resolve, 150));

    await progress.stop();

    expect(io.err()).toMatch(/verify: \[#{12}-{12}\] 2\/4 [\d.]+\/s/);
  });
});
