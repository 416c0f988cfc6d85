export {
  assertValidKey,
  assertValidPrefix,
  isValidKey,
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  RESERVED_SEGMENT_PREFIX,
} from './assertValidKey.ts';
export { compareKeys } from './compareKeys.ts';
export { FileSystemStorage } from './FileSystemStorage.ts';
export { KeyedMutex } from './KeyedMutex.ts';
export { listAll } from './listAll.ts';
export { MemoryStorage } from './MemoryStorage.ts';
export type * from './ObjectStorage.ts';
export { defaultS3Client, S3Storage, type S3StorageOptions } from './S3Storage.ts';
export {
  isStorageError,
  StorageError,
  StorageErrorCode,
  type StorageErrorCodeName,
} from './storageErrors.ts';
export { type StorageFromUrlOptions, storageFromUrl } from './storageFromUrl.ts';
