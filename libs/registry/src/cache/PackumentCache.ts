import { ContentEncoding } from '@myorg/constants';
import type { PreparedBody } from '@myorg/response';
import type { Packument } from '../packument/types.ts';

export interface PackumentCacheOptions {
  /** Most packages kept (parsed document plus served bodies). Defaults to 2,000. */
  maxPackages?: number;
  /**
   * Most bytes of served bodies kept, counting every form, encoding and base URL. Defaults to 48 MB:
   * enough for a dozen packuments of 1,000 versions in all their variants, and small enough that the
   * server stays within a 250 MB footprint (the parsed documents come on top).
   */
  maxBodyBytes?: number;
}

interface Entry {
  document: Promise<Packument | undefined>;
  /** Served bodies by `<form> <base URL>`. */
  bodies: Map<string, Promise<PreparedBody | undefined>>;
  bytes: number;
}

/**
 * Packuments in memory, parsed and served: per package, the stored document and the response
 * bodies built from it (per form and base URL), serialised and compressed once. Every write
 * replaces the package's entry, so nothing built from an older document is served after it; a
 * load that was running when the write landed only fills the entry it started for, which is gone.
 * Concurrent requests for an uncached package share one load and one build. Oldest packages are
 * dropped first when a bound is reached; unknown packages are never remembered.
 */
export class PackumentCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxPackages: number;
  readonly #maxBodyBytes: number;
  #bodyBytes = 0;

  constructor(options: PackumentCacheOptions = {}) {
    this.#maxPackages = options.maxPackages ?? 2000;
    this.#maxBodyBytes = options.maxBodyBytes ?? 48 * 1024 * 1024;
  }

  /** The document of `name`, loaded with `load` unless cached. */
  document(
    name: string,
    load: (name: string) => Promise<Packument | undefined>,
  ): Promise<Packument | undefined> {
    return this.#entry(name, load).document;
  }

  /**
   * The served body of `name` for `variant`, built with `build` from the document unless cached.
   * `build` answers undefined when the document has nothing to serve for the variant (no such
   * version); such answers are not kept, so made-up variants cannot fill the cache.
   */
  body(
    name: string,
    variant: string,
    load: (name: string) => Promise<Packument | undefined>,
    build: (packument: Packument) => PreparedBody | undefined,
  ): Promise<PreparedBody | undefined> {
    const entry = this.#entry(name, load);
    let body = entry.bodies.get(variant);
    if (body === undefined) {
      body = entry.document.then(async (packument) => {
        const prepared = packument === undefined ? undefined : build(packument);
        if (prepared === undefined) {
          entry.bodies.delete(variant);
          return undefined;
        }
        // Compressing on the thread pool now keeps a large document from blocking the event loop
        // when the first client asks for gzip or brotli.
        await prepared.precompress();
        if (this.#entries.get(name) === entry) this.#account(entry, prepared);
        return prepared;
      });
      entry.bodies.set(variant, body);
      body.catch(() => entry.bodies.delete(variant));
    }
    return body;
  }

  /** Records the document a write just stored, dropping everything built from the previous one. */
  set(name: string, packument: Packument): void {
    this.delete(name);
    this.#insert(name, { document: Promise.resolve(packument), bodies: new Map(), bytes: 0 });
  }

  /** Forgets `name`: the next read loads it again. */
  delete(name: string): void {
    const entry = this.#entries.get(name);
    if (entry === undefined) return;
    this.#entries.delete(name);
    this.#bodyBytes -= entry.bytes;
  }

  /** How many packages and body bytes are held: for tests and diagnostics. */
  get size(): { packages: number; bodyBytes: number } {
    return { packages: this.#entries.size, bodyBytes: this.#bodyBytes };
  }

  #entry(name: string, load: (name: string) => Promise<Packument | undefined>): Entry {
    const cached = this.#entries.get(name);
    if (cached !== undefined) return cached;
    const entry: Entry = { document: load(name), bodies: new Map(), bytes: 0 };
    this.#insert(name, entry);
    const forget = () => {
      if (this.#entries.get(name) === entry) this.delete(name);
    };
    entry.document.then((packument) => packument === undefined && forget(), forget);
    return entry;
  }

  #insert(name: string, entry: Entry): void {
    this.#entries.set(name, entry);
    this.#evict(name);
  }

  #account(entry: Entry, prepared: PreparedBody): void {
    let bytes = prepared.bytes.byteLength;
    if (prepared.compressible) {
      for (const encoding of [ContentEncoding.GZIP, ContentEncoding.BROTLI]) {
        const encoded = prepared.encoded(encoding);
        if (encoded !== prepared.bytes) bytes += encoded.byteLength;
      }
    }
    entry.bytes += bytes;
    this.#bodyBytes += bytes;
    this.#evict(undefined);
  }

  /** Drops the oldest packages until both bounds hold, never the one named `keep`. */
  #evict(keep: string | undefined): void {
    for (const name of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxPackages && this.#bodyBytes <= this.#maxBodyBytes) return;
      if (name !== keep) this.delete(name);
    }
  }
}
