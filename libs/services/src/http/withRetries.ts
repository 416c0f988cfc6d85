import { setTimeout as sleep } from 'node:timers/promises';
import { Header, isServerError } from '@myorg/constants';
import { isAppError } from '@myorg/error';

/** A server asking for a longer pause than this is answered with its error rather than waited for. */
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

export interface RetryOptions {
  /** How many times to try again after the first attempt. */
  retries: number;
  /** The first backoff pause; it doubles with every retry. */
  retryDelayMs: number;
  /** The caller's signal: a cancellation also ends the pause between attempts. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries are used up. Attempts throw
 * already-mapped errors, so the decision reads only their status: 429 and 5xx (other than 501,
 * which will not change) are worth another try, and so are network failures and timeouts, which
 * map to 502 and 504. A `Retry-After` the error carries sets the pause.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const pause = retry < options.retries ? retryPause(error, retry, options.retryDelayMs) : undefined;
      if (pause === undefined) throw error;
      // A cancelled pause ends with the caller's own reason, as a cancelled fetch does.
      await sleep(pause, undefined, { signal: options.signal }).catch(() => {
        throw options.signal?.reason;
      });
    }
  }
}

/** The pause before retry number `retry` (0-based), or undefined when the error is not worth retrying. */
export function retryPause(error: unknown, retry: number, retryDelayMs: number): number | undefined {
  if (!isAppError(error)) return undefined;
  const { status } = error;
  if (status !== 429 && (!isServerError(status) || status === 501)) return undefined;
  const asked = parseRetryAfter(error.headers[Header.RETRY_AFTER]);
  if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
  const backoff = Math.min(MAX_BACKOFF_MS, retryDelayMs * 2 ** retry);
  // Jitter keeps many clients that failed together from coming back together.
  return Math.round(backoff / 2 + Math.random() * (backoff / 2));
}

/** `Retry-After` in milliseconds: either delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
