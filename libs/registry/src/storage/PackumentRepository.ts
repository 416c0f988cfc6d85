import { ContentEncoding, ContentType } from '@myorg/constants';
import { retryOnConflict } from '@myorg/database';
import { type PreparedBody, prepareBody } from '@myorg/response';
import { assertValidKey, KeyedMutex, listAll, type ObjectStorage } from '@myorg/storage';
import { isPlainObject } from '@myorg/utilities';
import { LRUCache } from 'lru-cache';
import { SingleFlight } from '../cache/SingleFlight.ts';
import type { Packument } from '../packument/types.ts';
import { PACKUMENTS_PREFIX } from './storageKeys.ts';

export interface PackumentCacheOptions {
  /**
   * Most bytes kept (REGISTRY_PACKUMENT_MEMORY): each package's document as stored (parsed, it
   * takes about as much heap) plus the bodies served from it, every form, encoding and base URL
   * counted. Defaults to 48 MB. A package larger than that is read from storage for every request.
   */
  maxBytes?: number;
  /**
   * How long a cached packument is served before storage is asked (one HEAD) whether another
   * process wrote it since. Defaults to 1,000 ms: processes sharing a storage (several servers or
   * Lambda instances on one bucket) see each other's writes within that; a process sees its own at once.
   */
  revalidateAfterMs?: number;
}

export interface PackumentRepositoryOptions {
  cache?: PackumentCacheOptions;
  /** Told of every packument a write stored (search keeps its index current this way). */
  onWrite?: (packument: Packument) => void;
}

/** A stored packument with the etag it was read or written at, and the bodies served from it. */
interface Entry {
  packument: Packument;
  etag: string;
  /** The document's size as stored, standing for the memory its parsed form takes. */
  documentBytes: number;
  /** Served bodies by variant (`<form> <base URL>`, …); a pending one is shared by concurrent requests. */
  bodies: Map<string, Promise<PreparedBody | undefined>>;
  bodyBytes: number;
  /** When storage last held `etag` (read, written or checked by a HEAD), by `Date.now()`. */
  checkedAt: number;
}

const packumentOf = (entry: Entry | undefined) => entry?.packument;

// Twenty publishes of one package from several processes must all land: enough tries, short pauses.
const RETRY = { attempts: 60, baseDelayMs: 2, maxDelayMs: 250 };
const REVALIDATE_AFTER_MS = 1000;
/** Names remembered as absent; each costs a name's bytes, so a flood of made-up names stays small. */
const ABSENT_NAMES = 10_000;
/** 48 MB: REGISTRY_PACKUMENT_MEMORY's default. */
const DEFAULT_PACKUMENT_CACHE_BYTES = 48 * 1024 * 1024;
const EXTENSION = '.json';

/**
 * The one way in and out of packuments, stored as JSON at `packuments/<name>.json` (see
 * storageKeys): reads are served from one bounded cache, and every write goes through here and
 * replaces the cached entry, so nothing built from an older document is served after it.
 *
 * - Reads: concurrent loads of an uncached package share one storage read; failed loads are never
 *   remembered. A name found absent is remembered (the name only, in a bounded list) as a document
 *   is, for `revalidateAfterMs`: proxied packages are looked up here on every request, and a read
 *   of a missing object costs more than the rest of serving a cached tarball. Response bodies are built from the cached document per
 *   variant, serialised and compressed once, and dropped with it. Another process may write the
 *   same storage: an entry older than `revalidateAfterMs` is checked by a HEAD (one per package at
 *   a time) and read again if its etag changed.
 * - Writes: read-modify-write with conditional puts (`If-Match` the etag read, or `If-None-Match: *`
 *   for a new package), retried from a fresh read when another process wrote in between. The cached
 *   document is the starting point when storage still holds its etag (one HEAD instead of reading and
 *   parsing megabytes), and writes of one package from this process take turns, so 20 concurrent
 *   publishes cost 20 writes, not a storm of retries.
 */
export class PackumentRepository {
  readonly #storage: ObjectStorage;
  readonly #onWrite: (packument: Packument) => void;
  readonly #cache: LRUCache<string, Entry>;
  /** When each name was last found absent from storage. */
  readonly #absent = new LRUCache<string, number>({ max: ABSENT_NAMES });
  readonly #loads = new SingleFlight<string, Entry | undefined>();
  readonly #revalidations = new SingleFlight<string, Entry | undefined>();
  readonly #revalidateAfterMs: number;
  readonly #turns = new KeyedMutex();

  constructor(storage: ObjectStorage, options: PackumentRepositoryOptions = {}) {
    this.#storage = storage;
    this.#onWrite = options.onWrite ?? (() => undefined);
    this.#revalidateAfterMs = options.cache?.revalidateAfterMs ?? REVALIDATE_AFTER_MS;
    // Bounded by bytes alone: a count would let a few thousand large packuments take gigabytes.
    this.#cache = new LRUCache<string, Entry>({
      maxSize: options.cache?.maxBytes ?? DEFAULT_PACKUMENT_CACHE_BYTES,
      sizeCalculation: (entry) => entry.documentBytes + entry.bodyBytes,
    });
  }

  /**
   * The packument of `name` as stored (relative tarball paths), or undefined. `latest`: checked
   * against storage now, however recently it was, for a caller about to answer 404 for something
   * another process may have just written.
   */
  read(name: string, options?: { latest?: boolean }): Promise<Packument | undefined> {
    const entry = options?.latest ? this.#current(name, this.#cache.get(name)) : this.#entry(name);
    // Not async: every read of a package asks this, and a cached entry then costs one settled
    // promise rather than an async function's own and a turn to await the entry.
    return entry instanceof Promise ? entry.then(packumentOf) : Promise.resolve(entry?.packument);
  }

  /**
   * A response body derived from the packument of `name` and kept until the next write:
   * `render` returns the JSON value to serve, or undefined for "nothing to serve" (not kept, so
   * made-up variants cannot fill the cache). A `variant` that depends on the document (what the
   * supply-chain policy withholds from it now) is computed from the document the body is built from.
   */
  body(
    name: string,
    variant: string | ((packument: Packument) => string),
    contentType: string,
    render: (packument: Packument) => unknown,
  ): Promise<PreparedBody | undefined> {
    const keyOn = (entry: Entry) => (typeof variant === 'string' ? variant : variant(entry.packument));
    // The hot path: a recently checked cached body is two map lookups and a clock read away.
    const cached = this.#cache.get(name);
    if (cached !== undefined && this.#isRecent(cached)) {
      const key = keyOn(cached);
      return cached.bodies.get(key) ?? this.#build(name, cached, key, contentType, render);
    }
    if (cached === undefined && this.#recentlyAbsent(name)) return Promise.resolve(undefined);
    return this.#current(name, cached).then(
      (entry) => entry && this.#build(name, entry, keyOn(entry), contentType, render),
    );
  }

  /**
   * Reads the packument, lets `mutate` compute the next one and writes it only if nobody wrote in
   * between, retrying from a fresh read otherwise; so concurrent writers never lose each other's
   * changes. `mutate` may run more than once and throws to abort (nothing is written). Returning
   * `current` itself writes nothing.
   */
  async update(name: string, mutate: (current: Packument | undefined) => Packument): Promise<Packument> {
    const key = keyOf(name);
    try {
      const written = await this.#turns.run(name, () => {
        // The cached copy serves the first attempt only: a retry means somebody else wrote.
        let held = this.#cache.get(name);
        return retryOnConflict(async () => {
          const candidate = held;
          held = undefined;
          const current =
            candidate !== undefined && (await this.#storage.head(key))?.etag === candidate.etag
              ? candidate
              : await this.#fetch(name);
          const next = mutate(current?.packument);
          if (current !== undefined && next === current.packument) return current;
          // Nothing is stored that could not be read back.
          if (!isPackument(next)) throw notAPackument(`the next document of "${name}"`);
          const text = JSON.stringify(next);
          const stored = await this.#storage.put(key, text, {
            contentType: ContentType.JSON,
            ...(current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag }),
          });
          return newEntry(next, stored.etag, Buffer.byteLength(text));
        }, RETRY);
      });
      if (this.#cache.peek(name) !== written) {
        this.#absent.delete(name);
        this.#cache.set(name, written);
        this.#onWrite(written.packument);
      }
      return written.packument;
    } catch (error) {
      // What storage holds may differ from what was cached (another process wrote): read afresh.
      this.#cache.delete(name);
      throw error;
    }
  }

  /** Every stored packument, in no particular order (search builds its index from them); not cached. */
  async *all(): AsyncGenerator<Packument> {
    for await (const object of listAll(this.#storage, PACKUMENTS_PREFIX)) {
      // Other objects may share the prefix; only `<name>.json` files are packuments.
      if (!object.key.endsWith(EXTENSION)) continue;
      const entry = await this.#fetch(object.key.slice(PACKUMENTS_PREFIX.length, -EXTENSION.length));
      if (entry !== undefined) yield entry.packument;
    }
  }

  /** How many packages and bytes (documents and bodies) are held: for tests and diagnostics. */
  get size(): { packages: number; bytes: number } {
    return { packages: this.#cache.size, bytes: this.#cache.calculatedSize };
  }

  /** The cached entry of `name` if recently checked, or else what storage holds now. */
  #entry(name: string): Entry | undefined | Promise<Entry | undefined> {
    const cached = this.#cache.get(name);
    if (cached === undefined) return this.#recentlyAbsent(name) ? undefined : this.#load(name);
    return this.#isRecent(cached) ? cached : this.#current(name, cached);
  }

  #isRecent(entry: Entry): boolean {
    return Date.now() - entry.checkedAt < this.#revalidateAfterMs;
  }

  #recentlyAbsent(name: string): boolean {
    const checkedAt = this.#absent.get(name);
    return checkedAt !== undefined && Date.now() - checkedAt < this.#revalidateAfterMs;
  }

  /**
   * `cached` if storage still holds its etag (one HEAD, shared by concurrent callers), else the
   * stored document read afresh; a load when nothing is cached.
   */
  #current(name: string, cached: Entry | undefined): Promise<Entry | undefined> {
    if (cached === undefined) return this.#load(name);
    return this.#revalidations.run(name, async () => {
      const checkedAt = Date.now();
      const head = await this.#storage.head(keyOf(name));
      if (head?.etag === cached.etag) {
        cached.checkedAt = checkedAt;
        return cached;
      }
      // Another process wrote (or removed) it; a write of this process that landed meanwhile stays.
      if (this.#cache.peek(name) === cached) this.#cache.delete(name);
      return await this.#load(name);
    });
  }

  /** Reads `name` into the cache; concurrent callers share one read. */
  #load(name: string): Promise<Entry | undefined> {
    return this.#loads.run(name, async () => {
      const checkedAt = Date.now();
      const entry = await this.#fetch(name);
      // A write that landed during the load is newer than what the load read: it stays.
      if (!this.#cache.has(name)) {
        if (entry === undefined) this.#absent.set(name, checkedAt);
        else this.#cache.set(name, entry);
      }
      return this.#cache.get(name) ?? entry;
    });
  }

  /** The stored packument of `name` with its etag, read from storage (never from the cache). */
  async #fetch(name: string): Promise<Entry | undefined> {
    const stored = await this.#storage.get(keyOf(name));
    if (stored === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored.body.toString('utf8'));
    } catch (cause) {
      throw new Error(`the packument of "${name}" is corrupt: its stored bytes are not JSON`, { cause });
    }
    if (!isPackument(parsed)) throw notAPackument(`the stored document of "${name}"`);
    return newEntry(parsed, stored.etag, stored.body.byteLength);
  }

  #build(
    name: string,
    entry: Entry,
    variant: string,
    contentType: string,
    render: (packument: Packument) => unknown,
  ): Promise<PreparedBody | undefined> {
    let body = entry.bodies.get(variant);
    if (body !== undefined) return body;
    body = prepare(entry.packument, contentType, render);
    entry.bodies.set(variant, body);
    body.then(
      (prepared) => {
        if (prepared === undefined) {
          entry.bodies.delete(variant);
          return;
        }
        entry.bodyBytes += bytesOf(prepared);
        // Setting the same entry again makes the cache measure it anew (and evict to fit).
        if (this.#cache.peek(name) === entry) this.#cache.set(name, entry);
      },
      () => entry.bodies.delete(variant),
    );
    return body;
  }
}

function newEntry(packument: Packument, etag: string, documentBytes: number): Entry {
  return { packument, etag, documentBytes, bodies: new Map(), bodyBytes: 0, checkedAt: Date.now() };
}

async function prepare(
  packument: Packument,
  contentType: string,
  render: (packument: Packument) => unknown,
): Promise<PreparedBody | undefined> {
  const value = render(packument);
  if (value === undefined) return undefined;
  const prepared = prepareBody(Buffer.from(JSON.stringify(value)), { contentType });
  // Compressing on the thread pool now keeps a large document from blocking the event loop
  // when the first client asks for gzip or brotli.
  await prepared.precompress();
  return prepared;
}

/** The bytes a body holds in memory: its identity bytes and each smaller encoding. */
function bytesOf(prepared: PreparedBody): number {
  let bytes = prepared.bytes.byteLength;
  if (prepared.compressible) {
    for (const encoding of [ContentEncoding.GZIP, ContentEncoding.BROTLI]) {
      const encoded = prepared.encoded(encoding);
      if (encoded !== prepared.bytes) bytes += encoded.byteLength;
    }
  }
  return bytes;
}

function keyOf(name: string): string {
  // The name alone must be a valid key too: otherwise `a/` would become the key `packuments/a/.json`.
  assertValidKey(name);
  return `${PACKUMENTS_PREFIX}${name}${EXTENSION}`;
}

/** The shape every stored packument has; anything else in storage is corrupt, not a package. */
function isPackument(value: unknown): value is Packument {
  return (
    isPlainObject(value) &&
    typeof value.name === 'string' &&
    typeof value._rev === 'string' &&
    isPlainObject(value.versions) &&
    isPlainObject(value['dist-tags']) &&
    isPlainObject(value.time)
  );
}

function notAPackument(what: string): TypeError {
  return new TypeError(`${what} is not a packument: name, _rev, versions, dist-tags and time are required`);
}
