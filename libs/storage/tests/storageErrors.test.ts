import { describe, expect, it } from 'vitest';
import { isStorageError, MemoryStorage, StorageError, StorageErrorCode } from '../src/index.ts';

describe('isStorageError', () => {
  it('recognises what a backend raises, by code when one is given', async () => {
    const storage = new MemoryStorage();
    await storage.put('a.json', '1');
    const failure = await storage.put('a.json', '2', { ifNoneMatch: '*' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StorageError);
    expect(isStorageError(failure)).toBe(true);
    expect(isStorageError(failure, StorageErrorCode.PRECONDITION)).toBe(true);
    expect(isStorageError(failure, StorageErrorCode.INVALID_KEY)).toBe(false);
  });

  it('does not take another error with a storage code for one', () => {
    const lookalike = Object.assign(new Error('x'), { code: StorageErrorCode.PRECONDITION });
    expect(isStorageError(lookalike)).toBe(false);
  });
});
