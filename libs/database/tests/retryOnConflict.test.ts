import { StorageError, StorageErrorCode } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../src/index.ts';

const preconditionFailed = (message = 'stale') => new StorageError(StorageErrorCode.PRECONDITION, message);

describe('retryOnConflict', () => {
  it('retries after precondition failures until the call succeeds', async () => {
    let calls = 0;

    const result = await retryOnConflict(async () => {
      calls++;
      if (calls < 4) throw preconditionFailed();
      return 'done';
    });

    expect(result).toBe('done');
    expect(calls).toBe(4);
  });

  it('rethrows any other error at once', async () => {
    let calls = 0;

    const attempt = retryOnConflict(async () => {
      calls++;
      throw new StorageError(StorageErrorCode.KEY_CONFLICT, 'exists');
    });

    await expect(attempt).rejects.toMatchObject({ code: StorageErrorCode.KEY_CONFLICT });
    expect(calls).toBe(1);
  });

  it('gives up after the given attempts with the last precondition failure', async () => {
    let calls = 0;

    const attempt = retryOnConflict(
      async () => {
        calls++;
        throw preconditionFailed(`attempt ${calls}`);
      },
      { attempts: 3, baseDelayMs: 1 },
    );

    await expect(attempt).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('keeps every pause within the largest backoff', async () => {
    let calls = 0;
    const started = performance.now();

    await retryOnConflict(
      async () => {
        if (++calls < 10) throw preconditionFailed();
      },
      { baseDelayMs: 1000, maxDelayMs: 5 },
    );

    expect(calls).toBe(10);
    expect(performance.now() - started).toBeLessThan(9 * 5 + 500);
  });
});
