import { setTimeout as delay } from 'node:timers/promises';

export interface RefreshLoopOptions {
  everyMs: number;
  /** Wait after a failed refresh before trying again (capped at `everyMs`). */
  retryMs: number;
  signal: AbortSignal;
  refresh: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** Waits `ms`; false when `signal` aborted first. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls `refresh` now and every `everyMs` until `signal` aborts. A failed refresh is reported and
 * retried sooner, never fatal: the previous token stays valid for a while, and a long job must not
 * lose its refresher to one network blip. Resolves with the number of successful refreshes.
 */
export async function refreshLoop(options: RefreshLoopOptions): Promise<number> {
  const { everyMs, signal } = options;
  let refreshed = 0;
  while (!signal.aborted) {
    let wait = everyMs;
    try {
      await options.refresh();
      refreshed += 1;
    } catch (error) {
      options.onError(error);
      wait = Math.min(options.retryMs, everyMs);
    }
    if (!(await sleep(wait, signal))) break;
  }
  return refreshed;
}
