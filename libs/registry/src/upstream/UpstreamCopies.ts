import { LRUCache } from 'lru-cache';
import { SingleFlight } from '../cache/SingleFlight.ts';
import type { UpstreamRecords } from './UpstreamRecords.ts';
import type { UpstreamCopy } from './upstreamCopy.ts';

export interface UpstreamCopiesOptions {
  records: UpstreamRecords;
  /** Most bytes of copies (as received) and the bodies built from them kept in memory. */
  maxBytes: number;
}

// Names only (at most 214 characters each): a count bounds them to a few megabytes.
const MAX_NOT_STORED = 10_000;

/**
 * The copies of upstream packages held here: the recently used ones in memory (least recently
 * used dropped first, bounded by bytes, served bodies included), all of them in
 * storage. Memory is a cache of storage: what it drops is loaded again, once for all concurrent
 * callers, and storage is asked about a package it lacked only after something changed.
 */
export class UpstreamCopies {
  readonly #records: UpstreamRecords;
  readonly #memory: LRUCache<string, UpstreamCopy>;
  /** Packages storage was found not to hold. */
  readonly #notStored: LRUCache<string, true>;
  readonly #loads = new SingleFlight<string, UpstreamCopy | undefined>();

  constructor(options: UpstreamCopiesOptions) {
    this.#records = options.records;
    // Bounded by bytes alone: a count would let a few thousand large packuments take gigabytes.
    this.#memory = new LRUCache({
      maxSize: options.maxBytes,
      sizeCalculation: (copy) => Math.max(1, copy.bytes),
    });
    this.#notStored = new LRUCache({ max: MAX_NOT_STORED });
  }

  /** How many packages and bytes (copies and their bodies) memory holds. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#memory.size, bytes: this.#memory.calculatedSize };
  }

  /** The copy of `name` in memory, if any. */
  recall(name: string): UpstreamCopy | undefined {
    return this.#memory.get(name);
  }

  /** The copy of `name` in memory, else in storage; storage is not asked again about a package it lacked. */
  held(name: string): Promise<UpstreamCopy | undefined> {
    const copy = this.#memory.get(name);
    if (copy !== undefined) return Promise.resolve(copy);
    if (this.#notStored.has(name)) return Promise.resolve(undefined);
    return this.#loads.run(name, async () => {
      const stored = await this.#records.load(name);
      if (stored === undefined) this.#notStored.set(name, true);
      else this.#memory.set(name, stored);
      return stored;
    });
  }

  /** As held, but asking storage again: another instance sharing it may have stored a copy since. */
  heldAfresh(name: string): Promise<UpstreamCopy | undefined> {
    this.#notStored.delete(name);
    return this.held(name);
  }

  /** Keeps a copy just fetched, replacing the package's previous one, with `body` as received for storage. */
  async keep(copy: UpstreamCopy, body: Buffer): Promise<void> {
    this.#notStored.delete(copy.name);
    this.#memory.set(copy.name, copy);
    await this.#records.save(copy, body);
  }

  /** The upstream no longer has the package: neither memory nor storage may serve it again. */
  async forget(name: string): Promise<void> {
    this.#memory.delete(name);
    this.#notStored.set(name, true);
    await this.#records.delete(name);
  }

  /** Adds the bytes of a body built from `copy` to its size, and to the bound while it is held. */
  grew(copy: UpstreamCopy, bytes: number): void {
    copy.bytes += bytes;
    // Setting it again makes lru-cache measure it again, and drop others if the bound is passed.
    if (this.#memory.peek(copy.name) === copy) this.#memory.set(copy.name, copy);
  }
}
