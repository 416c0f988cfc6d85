/**
 * A bounded map from token hash to what the token resolved to (`null` for an unknown token), with a
 * time to live so that revocations made by other processes sharing the storage take effect here too.
 * Entries are evicted oldest-first; a hit moves an entry to the back, so busy tokens stay.
 */
export class TokenCache<Value> {
  readonly #entries = new Map<string, { value: Value | null; storedAt: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
  }

  /** The cached value (`null` for a known miss), or undefined when nothing fresh is cached. */
  get(hash: string, nowMs: number): Value | null | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    this.#entries.delete(hash);
    if (nowMs - entry.storedAt >= this.#ttlMs) return undefined;
    this.#entries.set(hash, entry);
    return entry.value;
  }

  set(hash: string, value: Value | null, nowMs: number): void {
    this.#entries.delete(hash);
    this.#entries.set(hash, { value, storedAt: nowMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  delete(hash: string): void {
    this.#entries.delete(hash);
  }

  get size(): number {
    return this.#entries.size;
  }
}
