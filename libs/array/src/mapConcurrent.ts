/**
 * The work done for one item. `signal` aborts as soon as the run is abandoned (another item
 * failed, or the caller aborted), so I/O started here can be cancelled by passing it on.
 */
export type ConcurrentTask<T, R> = (item: T, index: number, signal: AbortSignal) => Promise<R> | R;

export interface MapConcurrentOptions {
  /** Aborting it stops starting new work and rejects the run with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and resolves with the results in
 * input order. Items are pulled from the iterable only when a slot frees up, so a generator over a
 * large listing is never materialised. `limit` is a positive integer or `Infinity`.
 *
 * Like `Promise.all`, the run rejects as soon as it fails or is aborted; calls already in flight
 * are not awaited, but their `signal` is aborted and their late outcomes are ignored.
 */
export function mapConcurrent<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: ConcurrentTask<T, R>,
  { signal }: MapConcurrentOptions = {},
): Promise<R[]> {
  return new Promise((resolve, reject) => {
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))) {
      throw new RangeError(`concurrency limit must be a positive integer or Infinity, got ${String(limit)}`);
    }
    signal?.throwIfAborted();

    const iterator = items[Symbol.iterator]();
    const controller = new AbortController();
    const results: R[] = [];
    let started = 0;
    let active = 0;
    let exhausted = false;
    let settled = false;

    const onAbort = () => fail(signal?.reason);
    const finish = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      finish();
      controller.abort(error);
      try {
        iterator.return?.();
      } catch {
        // The run has already failed; its first error is the one worth reporting.
      }
      reject(error);
    };
    const fill = () => {
      while (!settled && !exhausted && active < limit) {
        let step: IteratorResult<T>;
        try {
          step = iterator.next();
        } catch (error) {
          fail(error);
          return;
        }
        if (step.done) {
          exhausted = true;
          break;
        }
        const index = started++;
        const item = step.value;
        active++;
        // The executor turns a synchronous throw from `fn` into a rejection like any other.
        new Promise<R>((done) => done(fn(item, index, controller.signal)))
          .then((value) => {
            results[index] = value;
          }, fail)
          .then(() => {
            active--;
            fill();
          });
      }
      if (!settled && exhausted && active === 0) {
        finish();
        resolve(results);
      }
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    fill();
  });
}
