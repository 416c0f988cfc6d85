/**
 * The time limit of one HTTP attempt. It aborts its signal when the limit passes, follows the
 * caller's own signal, and remembers which of the two fired so that a timeout can be reported as
 * `ETIMEDOUT` while a caller's cancellation is passed through untouched.
 */
export class AttemptDeadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, callerSignal?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.#callerSignal = callerSignal;
    this.signal = callerSignal
      ? AbortSignal.any([this.#controller.signal, callerSignal])
      : this.#controller.signal;
    this.restart();
  }

  /** True when this attempt ran out of time (and the caller had not cancelled first). */
  get timedOut(): boolean {
    return this.#controller.signal.aborted && !this.cancelled;
  }

  /** True when the caller's signal aborted the attempt. */
  get cancelled(): boolean {
    return this.#callerSignal?.aborted === true;
  }

  /** Starts the limit again: a streamed body gets `timeoutMs` for every chunk, not for the whole body. */
  restart(): void {
    this.clear();
    this.#timer = setTimeout(() => this.#controller.abort(), this.timeoutMs);
  }

  /** Stops the clock once the attempt is over, so nothing fires later. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}
