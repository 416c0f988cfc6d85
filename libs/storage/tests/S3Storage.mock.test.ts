import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3Storage, StorageError, StorageErrorCode } from '../src/index.ts';
import { rejectionOf } from './contract.ts';
import { s3Error } from './support/s3Error.ts';

// What S3 answers in cases s3rver cannot produce: a 409 conflict, a missing bucket, the KMS headers.
const s3 = mockClient(S3Client);

function storage(options: { kmsKeyId?: string } = {}): S3Storage {
  return new S3Storage({
    client: new S3Client({ region: 'us-east-1' }),
    bucket: 'b',
    prefix: 'p',
    ...options,
  });
}

describe('S3Storage (mocked S3 client)', () => {
  beforeEach(() => {
    s3.reset();
  });

  it('sends SSE-KMS with the key id, the conditions and the prefixed key', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });

    await storage({ kmsKeyId: 'arn:aws:kms:key' }).put('a.json', '{}', { ifMatch: '"old"' });

    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      Key: 'p/a.json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:key',
      IfMatch: '"old"',
      ContentType: 'application/json',
    });
  });

  it('turns a 409 ConditionalRequestConflict into EPRECONDITION', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));

    const error = await rejectionOf(storage().put('a.json', '{}', { ifNoneMatch: '*' }));

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: StorageErrorCode.PRECONDITION, key: 'a.json' });
  });

  it('leaves a 409 to an unconditional write as it is: nothing was conditional', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('OperationAborted', 409));

    expect(await rejectionOf(storage().put('a.json', '{}'))).toMatchObject({ name: 'OperationAborted' });
  });

  it('lists only valid keys under its prefix, without the prefix', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'p/.~conditional-write-probe-1', Size: 5, ETag: '"x"' },
        { Key: 'p/a.json', Size: 2, ETag: '"e"' },
      ],
      CommonPrefixes: [{ Prefix: 'p/dir/' }],
    });

    const page = await storage().list({ delimiter: '/' });

    expect(page.objects.map((object) => object.key)).toEqual(['a.json']);
    expect(page).toMatchObject({ prefixes: ['dir/'] });
    expect(page.cursor).toBeUndefined();
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({
      Prefix: 'p/',
      Delimiter: '/',
    });
  });

  it('reports a 416 as ERANGE with the size from a head', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('InvalidRange', 416));
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ETag: '"e"', LastModified: new Date() });

    const error = await rejectionOf(storage().getStream('a.bin', { start: 10 }));

    expect(error).toMatchObject({ code: StorageErrorCode.RANGE, size: 10 });
  });

  it('does not mistake a missing bucket for a missing object', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchBucket', 404));
    s3.on(DeleteObjectCommand).rejects(s3Error('NoSuchBucket', 404));

    expect(await rejectionOf(storage().get('a.json'))).toMatchObject({ name: 'NoSuchBucket' });
    expect(await rejectionOf(storage().delete('a.json', { ifMatch: '"e"' }))).toMatchObject({
      name: 'NoSuchBucket',
    });
  });
});
