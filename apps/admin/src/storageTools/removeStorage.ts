import { rm } from 'node:fs/promises';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { listAll } from '@myorg/storage';
import type { OpenedStorage } from './openStorage.ts';
import type { Progress } from './progress.ts';
import { Tally } from './Tally.ts';

export interface RemoveStorageOptions {
  opened: OpenedStorage;
  dryRun: boolean;
  signal?: AbortSignal;
  progress: Progress;
}

/**
 * S3: every object under the prefix, a page (at most 1,000 keys, DeleteObjects' limit) at a time,
 * listing afresh each time so nothing is skipped; then the bucket itself when the storage is the
 * whole bucket. What a run leaves (interrupted) the next one removes.
 */
async function emptyBucket(
  s3: NonNullable<OpenedStorage['s3']>,
  options: RemoveStorageOptions,
  tally: Tally,
) {
  const { client, bucket, prefix } = s3;
  let cursor: string | undefined;
  for (;;) {
    if (options.signal?.aborted) return;
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: options.dryRun ? cursor : undefined,
      }),
    );
    const keys = (page.Contents ?? []).flatMap((object) =>
      object.Key === undefined ? [] : [{ Key: object.Key }],
    );
    options.progress.add(keys.length);
    if (!options.dryRun && keys.length > 0) {
      const answer = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      for (const failure of answer.Errors ?? [])
        tally.fail(
          failure.Key ?? '',
          Object.assign(new Error(failure.Message ?? ''), { name: failure.Code ?? 'Error' }),
        );
    }
    tally.count('objects', keys.length);
    options.progress.done(keys.length);
    cursor = page.NextContinuationToken;
    // Keys S3 would not delete would be listed again forever: report them instead.
    if (page.IsTruncated !== true || tally.failed.length > 0) break;
  }
  if (prefix === '' && !options.dryRun && tally.failed.length === 0) {
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    tally.count('buckets');
  }
}

/** `remove-storage`: empties the storage and deletes its bucket or directory (asked for first). */
export async function removeStorage(options: RemoveStorageOptions): Promise<Tally> {
  const { opened } = options;
  const tally = new Tally();
  if (opened.s3 !== undefined) {
    await emptyBucket(opened.s3, options, tally);
  } else {
    let count = 0;
    for await (const _ of listAll(opened.storage)) count += 1;
    options.progress.add(count);
    if (!options.dryRun && opened.directory !== undefined)
      await rm(opened.directory, { recursive: true, force: true });
    tally.count('objects', count);
    options.progress.done(count);
  }
  tally.interrupted = options.signal?.aborted === true;
  return tally;
}
