import {
  CopyObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import type { OpenedStorage } from './openStorage.ts';
import type { Progress } from './progress.ts';
import { runPool } from './runPool.ts';
import { Tally } from './Tally.ts';

export interface EncryptOptions {
  s3: NonNullable<OpenedStorage['s3']>;
  /** SSE-KMS under this key; SSE-S3 (AES256) without it. */
  kmsKeyId: string | undefined;
  concurrency: number;
  dryRun: boolean;
  signal?: AbortSignal;
  progress: Progress;
}

/** Every key under the prefix, page by page (the old kit stopped after the first 1,000). */
async function* keysOf(s3: EncryptOptions['s3'], progress: Progress): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix, ContinuationToken: cursor }),
    );
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
    progress.add(keys.length);
    yield* keys;
    cursor = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (cursor !== undefined);
}

/**
 * `encrypt`: copies every object onto itself with server-side encryption, skipping those already
 * encrypted as asked. The copy is conditional on the etag just read (`CopySourceIfMatch`), so an
 * object the registry rewrote meanwhile is not clobbered with its older bytes: it is reported, and
 * a new write is encrypted by the registry anyway. Running it again continues where it stopped.
 */
export async function encryptStorage(options: EncryptOptions): Promise<Tally> {
  const { s3, kmsKeyId, progress } = options;
  const tally = new Tally();
  const wanted: ServerSideEncryption = kmsKeyId === undefined ? 'AES256' : 'aws:kms';

  async function encrypt(key: string): Promise<void> {
    try {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
      const done =
        head.ServerSideEncryption === wanted &&
        (kmsKeyId === undefined ||
          head.SSEKMSKeyId === kmsKeyId ||
          head.SSEKMSKeyId?.endsWith(`/${kmsKeyId}`) === true);
      if (done) {
        tally.count('present');
        return;
      }
      if (!options.dryRun) {
        await s3.client.send(
          new CopyObjectCommand({
            Bucket: s3.bucket,
            Key: key,
            CopySource: `${s3.bucket}/${encodeURIComponent(key)}`,
            CopySourceIfMatch: head.ETag,
            MetadataDirective: 'COPY',
            ServerSideEncryption: wanted,
            SSEKMSKeyId: kmsKeyId,
          }),
        );
      }
      tally.count('objects');
    } catch (error) {
      tally.fail(key, error);
    } finally {
      progress.done();
    }
  }

  await runPool(keysOf(s3, progress), options.concurrency, encrypt, options.signal);
  tally.interrupted = options.signal?.aborted === true;
  return tally;
}
