import { setTimeout as sleep } from 'node:timers/promises';
import { isStorageError, StorageErrorCode } from '@myorg/storage';

export interface RetryOptions {
  /** Tries in all, the first included. Default 20. */
  attempts?: number;
  /** The backoff cap of the first retry, doubling with each one. Default 5 ms. */
  baseDelayMs?: number;
  /** The largest backoff cap. Default 1000 ms. */
  maxDelayMs?: number;
}

/**
 * Runs `fn`, and again after a random pause whenever it fails with storage's `EPRECONDITION` (a
 * lost optimistic-concurrency race), up to `attempts` tries. Pauses use full jitter — uniform in
 * [0, min(max, base · 2^retry)] — so racing writers spread out instead of colliding again. Any
 * other error, and the last precondition failure, is rethrown.
 */
export async function retryOnConflict<R>(fn: () => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const { attempts = 20, baseDelayMs = 5, maxDelayMs = 1000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isStorageError(error, StorageErrorCode.PRECONDITION) || attempt >= attempts) throw error;
      await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
