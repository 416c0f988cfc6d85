/**
 * Runs async sections one at a time per key, in arrival order, and never more than one: the
 * check-then-commit of a conditional write must not interleave with another write of that key.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      // Forget the key once nobody queued behind us, so the map does not grow with every key ever written.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
