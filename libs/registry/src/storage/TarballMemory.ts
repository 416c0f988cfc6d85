import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ObjectStorage } from '@myorg/storage';
import { LRUCache } from 'lru-cache';

export interface TarballMemoryOptions {
  /** Most bytes of tarballs kept in memory (REGISTRY_TARBALL_MEMORY); 0 keeps none. */
  maxBytes: number;
}

/** A tarball to send: its bytes from memory, or a stream from storage. */
export interface OpenedTarball {
  size: number;
  body: Buffer | Readable;
}

/** One tarball may take at most this share of the memory, so one large package cannot empty it. */
const MAX_ENTRY_SHARE = 4;

/**
 * The bytes of recently served tarballs (published and upstream), least recently used dropped
 * first, bounded in bytes. Sent from memory, a tarball costs no file reads and no fresh buffers:
 * streaming one from storage allocates its size anew per request, and that garbage made a 1 MB
 * tarball cost several times the CPU of sending bytes held in memory. Stored tarballs never change
 * (their keys name their digest), so nothing here goes stale; a removed version is refused by the
 * routes before its key is looked up.
 */
export class TarballMemory {
  readonly #cache: LRUCache<string, Buffer> | undefined;
  readonly #maxEntryBytes: number;

  constructor(options: TarballMemoryOptions) {
    this.#maxEntryBytes = Math.floor(options.maxBytes / MAX_ENTRY_SHARE);
    this.#cache =
      options.maxBytes > 0
        ? new LRUCache({
            maxSize: options.maxBytes,
            sizeCalculation: (bytes) => Math.max(1, bytes.byteLength),
          })
        : undefined;
  }

  /** How many tarballs and bytes are held. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#cache?.size ?? 0, bytes: this.#cache?.calculatedSize ?? 0 };
  }

  /** Whether a tarball of `size` bytes would be kept. */
  accepts(size: number): boolean {
    return this.#cache !== undefined && size <= this.#maxEntryBytes;
  }

  /** Keeps the bytes stored under `key`, if they fit. */
  keep(key: string, bytes: Buffer): void {
    if (this.accepts(bytes.byteLength)) this.#cache?.set(key, bytes);
  }

  /** The object under `key`: from memory, else read from storage (and kept when it fits); undefined when absent. */
  async open(storage: ObjectStorage, key: string): Promise<OpenedTarball | undefined> {
    const held = this.#cache?.get(key);
    if (held !== undefined) return { size: held.byteLength, body: held };
    const stored = await storage.getStream(key);
    if (stored === undefined) return undefined;
    if (!this.accepts(stored.size)) return { size: stored.size, body: stored.body };
    const bytes = await buffer(stored.body);
    this.keep(key, bytes);
    return { size: bytes.byteLength, body: bytes };
  }
}
