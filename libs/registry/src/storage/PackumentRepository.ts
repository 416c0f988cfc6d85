import type { PreparedBody } from '@myorg/response';
import { prepareBody } from '@myorg/response';
import type { PackumentCache } from '../cache/PackumentCache.ts';
import type { Packument } from '../packument/types.ts';
import type { PackumentStore } from './PackumentStore.ts';

export interface PackumentRepositoryOptions {
  store: PackumentStore;
  cache: PackumentCache;
  /** Told of every packument a write stored (search keeps its index current this way). */
  onWrite?: (packument: Packument) => void;
}

/**
 * The one way in and out of packuments: reads are served from the cache, and every write goes
 * through the store and then replaces the cached document, so no write can forget to invalidate.
 */
export class PackumentRepository {
  readonly #store: PackumentStore;
  readonly #cache: PackumentCache;
  readonly #load: (name: string) => Promise<Packument | undefined>;
  readonly #onWrite: (packument: Packument) => void;

  constructor(options: PackumentRepositoryOptions) {
    this.#store = options.store;
    this.#cache = options.cache;
    const { store } = options;
    this.#load = (name) => store.read(name);
    this.#onWrite = options.onWrite ?? (() => undefined);
  }

  /** The packument of `name` as stored (relative tarball paths), or undefined. */
  read(name: string): Promise<Packument | undefined> {
    return this.#cache.document(name, this.#load);
  }

  /**
   * A response body derived from the packument of `name` and kept until the next write:
   * `render` returns the JSON value to serve, or undefined for "nothing to serve".
   */
  body(
    name: string,
    variant: string,
    contentType: string,
    render: (packument: Packument) => unknown,
  ): Promise<PreparedBody | undefined> {
    return this.#cache.body(name, variant, this.#load, (packument) => {
      const value = render(packument);
      return value === undefined
        ? undefined
        : prepareBody(Buffer.from(JSON.stringify(value)), { contentType });
    });
  }

  /** See PackumentStore.update; the cache and listeners learn the result. */
  async update(name: string, mutate: (current: Packument | undefined) => Packument): Promise<Packument> {
    let stored: Packument;
    try {
      stored = await this.#store.update(name, mutate);
    } catch (error) {
      // What the store holds may differ from what was cached (another process wrote): read afresh.
      this.#cache.delete(name);
      throw error;
    }
    this.#cache.set(name, stored);
    this.#onWrite(stored);
    return stored;
  }
}
