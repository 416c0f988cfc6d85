import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppError } from '@myorg/error';
import {
  defaultS3Client,
  FileSystemStorage,
  type ObjectStorage,
  S3Storage,
  storageFromUrl,
} from '@myorg/storage';
import { awsFailure, S3_ACTION } from '../aws/awsErrors.ts';
import type { CliIo } from '../cli/CliIo.ts';
import { StorageMessages } from './messages.ts';

/**
 * Attempts per S3 call, the SDK's own backoff between them: a batch over thousands of objects
 * rides out throttling (SlowDown) that would fail a single request.
 */
const S3_MAX_ATTEMPTS = 10;

/** A storage the tools work on, and the bucket or directory behind it for what only they can do. */
export interface OpenedStorage {
  url: string;
  storage: ObjectStorage;
  s3?: { client: S3Client; bucket: string; prefix: string };
  directory?: string;
}

/** The `--storage` option of a command working on the registry's storage, for commander. */
export const STORAGE_OPTION = [
  '--storage <dir or url>',
  'the registry’s storage: a directory or REGISTRY_STORAGE URL (default: $REGISTRY_STORAGE)',
] as const;

/**
 * The storage URL for `--storage`: a URL as REGISTRY_STORAGE holds it, or a directory path;
 * REGISTRY_STORAGE when the option is absent. memory:// is refused: it lives inside one process.
 */
export function storageLocation(io: CliIo, option: string | undefined): string {
  const location = option ?? io.env.REGISTRY_STORAGE;
  if (location === undefined || location === '') {
    throw new AppError(StorageMessages.noStorage, { details: { fix: StorageMessages.noStorageFix } });
  }
  if (location.startsWith('memory:')) {
    throw new AppError(StorageMessages.memoryStorage, { details: { fix: StorageMessages.memoryStorageFix } });
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : pathToFileURL(resolve(io.cwd, location)).href;
}

/** Opens `--storage` (or `--from`) with an S3 client that retries long enough for a batch. */
export function openStorage(io: CliIo, option: string | undefined): OpenedStorage {
  const url = storageLocation(io, option);
  const client = url.startsWith('s3:')
    ? defaultS3Client(io.env, { maxAttempts: S3_MAX_ATTEMPTS })
    : undefined;
  const storage = storageFromUrl(url, { s3Client: client });
  if (storage instanceof S3Storage && client !== undefined) {
    return { url, storage, s3: { client, bucket: storage.bucket, prefix: storage.prefix } };
  }
  if (storage instanceof FileSystemStorage) return { url, storage, directory: storage.root };
  return { url, storage };
}

/**
 * Runs `work`, explaining a failure of the storage itself (no bucket, no credentials, denied,
 * throttled past every retry) as `awsFailure` does; other errors pass through.
 */
export async function onStorage<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError || !(error instanceof Error) || !isAwsError(error)) throw error;
    throw awsFailure(error, `${S3_ACTION}${what}`);
  }
}

/** SDK errors carry `$metadata` (service errors) or are the credential chain's. */
function isAwsError(error: Error): boolean {
  return '$metadata' in error || error.name === 'CredentialsProviderError';
}
