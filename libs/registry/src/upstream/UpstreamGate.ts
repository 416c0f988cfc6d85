import { Header } from '@myorg/constants';
import { ServiceUnavailableError } from '@myorg/error';
import { UpstreamMessages } from './messages.ts';
import { failureReason, isUnavailability, UpstreamErrorCode } from './upstreamFailure.ts';

export interface UpstreamGateOptions {
  /** Most upstream requests in flight at once; further ones wait for a free slot. */
  maxConcurrent: number;
  /** Longest wait for a free slot before a request fails as timed out. */
  queueTimeoutMs: number;
  /** Consecutive failures after which the upstream is marked down. */
  failuresBeforeDown: number;
  /** How long the upstream stays marked down: requests fail at once instead of waiting on it. */
  downForMs: number;
  now?: () => number;
}

/** The circuit breaker as health checks report it. */
export interface UpstreamGateState {
  /** `open` while requests are refused without trying (marked down, or one probe in flight). */
  breaker: 'closed' | 'open';
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** The latest failure: when (ms since the epoch) and why, in `failureReason`'s words. */
  lastFailure?: { at: number; reason: string };
}

interface Waiter {
  grant(): void;
  refuse(error: Error): void;
}

/**
 * The one way to the upstream: at most `maxConcurrent` requests at a time, a bounded wait for a
 * slot, and a circuit breaker. After `failuresBeforeDown` consecutive failures the upstream is
 * marked down for `downForMs`; meanwhile every request (queued ones too) fails at once, so a dead
 * or hanging upstream costs clients milliseconds, not a timeout each, and never holds on to the
 * server's capacity. The first request after that period probes it; a success closes the breaker.
 */
export class UpstreamGate {
  readonly #options: Required<UpstreamGateOptions>;
  readonly #waiting: Waiter[] = [];
  #active = 0;
  #failures = 0;
  #downUntil = 0;
  #probing = false;
  #lastFailure: UpstreamGateState['lastFailure'];

  constructor(options: UpstreamGateOptions) {
    this.#options = { now: Date.now, ...options };
  }

  /** Whether requests are currently refused without trying. */
  get isDown(): boolean {
    return (
      this.#failures >= this.#options.failuresBeforeDown && (this.#probing || this.#remainingDownMs() > 0)
    );
  }

  get state(): UpstreamGateState {
    const state: UpstreamGateState = {
      breaker: this.isDown ? 'open' : 'closed',
      consecutiveFailures: this.#failures,
    };
    if (this.#lastFailure !== undefined) state.lastFailure = this.#lastFailure;
    return state;
  }

  /** Runs `task` within the limits; its failures decide whether the upstream is marked down. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const probe = this.#admit();
    try {
      await this.#acquire();
    } catch (error) {
      if (probe) this.#probing = false;
      throw error;
    }
    try {
      const result = await task();
      this.#failures = 0;
      return result;
    } catch (error) {
      if (isUnavailability(error)) this.#recordFailure(error);
      throw error;
    } finally {
      if (probe) this.#probing = false;
      this.#release();
    }
  }

  /**
   * Lets a request through, or throws while the upstream is marked down. Once the down period is
   * over, a single request probes the upstream while the others keep failing fast; it answers
   * whether this request is that probe.
   */
  #admit(): boolean {
    if (this.#failures < this.#options.failuresBeforeDown) return false;
    const remaining = this.#remainingDownMs();
    if (remaining > 0 || this.#probing) throw this.#downError(remaining);
    this.#probing = true;
    return true;
  }

  #remainingDownMs(): number {
    return this.#downUntil - this.#options.now();
  }

  #downError(remainingMs: number): Error {
    const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
    return new ServiceUnavailableError(UpstreamMessages.markedDown(this.#failures, seconds), {
      code: UpstreamErrorCode.DOWN,
      headers: { [Header.RETRY_AFTER]: String(seconds) },
    });
  }

  #acquire(): Promise<void> {
    if (this.#active < this.#options.maxConcurrent) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
        refuse: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        const { queueTimeoutMs } = this.#options;
        reject(
          new ServiceUnavailableError(UpstreamMessages.busy(queueTimeoutMs), {
            code: UpstreamErrorCode.BUSY,
          }),
        );
      }, this.#options.queueTimeoutMs);
      this.#waiting.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#active -= 1;
    else next.grant();
  }

  #recordFailure(cause: unknown): void {
    this.#failures += 1;
    this.#lastFailure = { at: this.#options.now(), reason: failureReason(cause) };
    if (this.#failures < this.#options.failuresBeforeDown) return;
    this.#downUntil = this.#options.now() + this.#options.downForMs;
    // Whoever queued behind the failing requests would only fail the same way, later.
    const error = this.#downError(this.#options.downForMs);
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(error);
  }
}
