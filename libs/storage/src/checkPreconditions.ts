import type { WriteOptions } from './ObjectStorage.ts';
import { invalidOption, preconditionFailed } from './storageErrors.ts';

/** Rejects condition values no backend could evaluate, before any work is done. */
export function assertConditions(options: Pick<WriteOptions, 'ifMatch' | 'ifNoneMatch'>): void {
  if (options.ifNoneMatch !== undefined && options.ifNoneMatch !== '*') {
    throw invalidOption(`ifNoneMatch must be "*", not ${JSON.stringify(options.ifNoneMatch)}`);
  }
  if (options.ifMatch !== undefined && (typeof options.ifMatch !== 'string' || options.ifMatch === '')) {
    throw invalidOption('ifMatch must be a non-empty etag');
  }
}

/**
 * Throws a `StorageError` (code `EPRECONDITION`) unless the conditions hold for the
 * object's current etag (`undefined` when there is no object). Backends that evaluate conditions
 * themselves call it under their per-key lock.
 */
export function checkPreconditions(
  key: string,
  currentEtag: string | undefined,
  options: Pick<WriteOptions, 'ifMatch' | 'ifNoneMatch'>,
): void {
  if (options.ifNoneMatch === '*' && currentEtag !== undefined)
    throw preconditionFailed(key, 'an object already exists');
  if (options.ifMatch === undefined) return;
  if (currentEtag === undefined) throw preconditionFailed(key, 'no object exists');
  if (currentEtag !== options.ifMatch) throw preconditionFailed(key, `its etag is not ${options.ifMatch}`);
}
