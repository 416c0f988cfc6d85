/**
 * Concurrent callers asking for the same key share one run of the task: a burst of requests for
 * one uncached packument or tarball costs one load or download, not one each. The run is
 * forgotten as soon as it settles, so a failure is not remembered.
 */
export class SingleFlight<K, V> {
  readonly #running = new Map<K, Promise<V>>();

  run(key: K, task: () => Promise<V>): Promise<V> {
    let running = this.#running.get(key);
    if (running === undefined) {
      running = task().finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }
    return running;
  }

  /** The run in flight for `key`, if any. */
  running(key: K): Promise<V> | undefined {
    return this.#running.get(key);
  }
}
