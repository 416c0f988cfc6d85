import type { S3Client } from '@aws-sdk/client-s3';
import { FileSystemStorage } from './FileSystemStorage.ts';
import { MemoryStorage } from './MemoryStorage.ts';
import type { ObjectStorage } from './ObjectStorage.ts';
import { S3Storage } from './S3Storage.ts';
import { invalidOption } from './storageErrors.ts';

const SUPPORTED = 'file:///absolute/path, s3://bucket/prefix or memory://';

export interface StorageFromUrlOptions {
  /** S3: encrypt every put with SSE-KMS under this key (id or ARN) instead of SSE-S3. */
  kmsKeyId?: string;
  /** S3: the client to use instead of `defaultS3Client()` (a tool's, with more retries). */
  s3Client?: S3Client;
}

/**
 * The storage a configuration URL names: `file:///srv/registry`, `s3://bucket/prefix` (the S3
 * client from the SDK's standard configuration) or `memory://`.
 */
export function storageFromUrl(url: string, options: StorageFromUrlOptions = {}): ObjectStorage {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOption(`storage URL ${JSON.stringify(url)} is not a URL; use ${SUPPORTED}`);
  }
  switch (parsed.protocol) {
    case 'file:':
      return FileSystemStorage.fromUrl(parsed);
    case 's3:':
      return S3Storage.fromUrl(parsed, options.kmsKeyId, options.s3Client);
    case 'memory:':
      return new MemoryStorage();
    default:
      throw invalidOption(`storage scheme "${parsed.protocol}" is not supported; use ${SUPPORTED}`);
  }
}
