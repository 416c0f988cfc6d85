import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ContentType } from '@myorg/constants';
import type { ObjectInfo, ObjectStorage, ObjectStream, SignedUrl } from '@myorg/storage';
import { isStorageError, StorageErrorCode } from '@myorg/storage';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import {
  PENDING_TARBALLS_PREFIX,
  pendingTarballKey,
  tarballKey,
  tarballVersionPrefix,
  uploadRecordKey,
} from './storageKeys.ts';
import { type OpenedTarball, TarballMemory } from './TarballMemory.ts';

/**
 * Staged tarballs up to this size wait in memory: most packages are a few KB, and staging them in
 * storage would cost every publish two more durable writes and a delete. Larger ones stream to storage.
 */
const MAX_STAGED_IN_MEMORY = 1024 * 1024;
/** Tarball keys name their content: an object already under one is never replaced. */
const NEW_TARBALL = { contentType: ContentType.OCTET_STREAM, ifNoneMatch: '*' } as const;

/** A direct upload offered to a client: the id to commit it by, and where to PUT the bytes. */
export interface OfferedUpload {
  id: string;
  signed: SignedUrl;
}

/**
 * What claiming an upload found: `claimed` (the caller's, now and never again), `unknown` (never
 * offered, already claimed, or swept) or `foreign` (offered to someone else, left unclaimed).
 */
export type UploadClaim = 'claimed' | 'unknown' | 'foreign';

/** Tarball bytes in object storage, addressed by package, version and sha1 of the content. */
export class TarballStore {
  readonly #storage: ObjectStorage;
  readonly #memory: TarballMemory;
  /** Small staged tarballs by their pending key, until committed or discarded (one per publish in flight). */
  readonly #stagedInMemory = new Map<string, Buffer>();

  constructor(storage: ObjectStorage, memory: TarballMemory = new TarballMemory({ maxBytes: 0 })) {
    this.#storage = storage;
    this.#memory = memory;
  }

  /**
   * Takes a publish's tarball in under a fresh pending key, where nothing serves it, and answers the
   * key: held in memory when small, streamed into storage otherwise. If `bytes` fails part-way,
   * nothing is kept.
   */
  async stage(bytes: AsyncIterable<Uint8Array>): Promise<string> {
    const key = pendingTarballKey(randomUUID());
    const source = bytes[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const next = await source.next();
      if (next.done) {
        this.#stagedInMemory.set(key, Buffer.concat(head, size));
        return key;
      }
      head.push(next.value);
      size += next.value.byteLength;
      if (size > MAX_STAGED_IN_MEMORY) break;
    }
    async function* all(): AsyncGenerator<Uint8Array> {
      yield* head.splice(0);
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    }
    await this.#storage.putStream(key, all(), NEW_TARBALL);
    return key;
  }

  /** The bytes of a staged tarball, to check them. */
  async readStaged(key: string): Promise<Readable> {
    const inMemory = this.#stagedInMemory.get(key);
    if (inMemory !== undefined) return Readable.from([inMemory]);
    const object = await this.#storage.getStream(key);
    if (object === undefined) throw new Error(`staged tarball ${key} is gone`);
    return object.body;
  }

  /**
   * Stores a staged tarball under its final key (a copy: object storage has no rename). That key
   * names the content, so an object already there holds these very bytes (a retry, or a concurrent
   * publish of the same tarball) and is left as it is. The staged object stays for `discardStaged`.
   */
  async commit(stagedKey: string, name: string, version: string, shasum: string): Promise<void> {
    const key = tarballKey(name, version, shasum);
    if ((await this.#storage.head(key)) !== undefined) return;
    try {
      const inMemory = this.#stagedInMemory.get(stagedKey);
      if (inMemory !== undefined) {
        await this.#storage.put(key, inMemory, NEW_TARBALL);
        return;
      }
      const bytes = await this.readStaged(stagedKey);
      try {
        await this.#storage.putStream(key, bytes, NEW_TARBALL);
      } finally {
        bytes.destroy();
      }
    } catch (error) {
      if (!isStorageError(error, StorageErrorCode.PRECONDITION)) throw error;
    }
  }

  /** Whether the storage can let clients upload tarballs straight to it (`offerUpload`). */
  get offersUploads(): boolean {
    return this.#storage.signedUrl !== undefined;
  }

  /**
   * A fresh pending key that `owner` may PUT a tarball to directly for `expiresInSeconds`, with a
   * record of the owner beside it; both are swept with the other pending objects if never claimed.
   */
  async offerUpload(owner: string, expiresInSeconds: number): Promise<OfferedUpload> {
    if (this.#storage.signedUrl === undefined)
      throw new Error(`${this.#storage.description} cannot sign URLs`);
    const id = randomUUID();
    await this.#storage.put(uploadRecordKey(id), JSON.stringify({ owner }), {
      contentType: ContentType.JSON,
      ifNoneMatch: '*',
    });
    const signed = await this.#storage.signedUrl(pendingTarballKey(id), {
      method: 'PUT',
      expiresInSeconds,
      contentType: ContentType.OCTET_STREAM,
    });
    return { id, signed };
  }

  /**
   * Claims upload `id` for `owner`: removing its record with `ifMatch` lets exactly one commit win,
   * however many processes race, so an upload is committed at most once.
   */
  async claimUpload(id: string, owner: string): Promise<UploadClaim> {
    const key = uploadRecordKey(id);
    const record = await this.#storage.get(key);
    if (record === undefined) return 'unknown';
    const parsed = safeJsonParse(record.body);
    if (!parsed.ok || !isPlainObject(parsed.value) || parsed.value.owner !== owner) return 'foreign';
    try {
      await this.#storage.delete(key, { ifMatch: record.etag });
      return 'claimed';
    } catch (error) {
      if (isStorageError(error, StorageErrorCode.PRECONDITION)) return 'unknown';
      throw error;
    }
  }

  /** The bytes a client uploaded directly, if it did. */
  openUpload(id: string): Promise<ObjectStream | undefined> {
    return this.#storage.getStream(pendingTarballKey(id));
  }

  async discardUpload(id: string): Promise<void> {
    await this.#storage.delete(pendingTarballKey(id));
  }

  async discardStaged(key: string): Promise<void> {
    if (!this.#stagedInMemory.delete(key)) await this.#storage.delete(key);
  }

  /**
   * Removes staged tarballs older than `olderThanMs`: left by a process that died mid-publish.
   * Keep the age well above the longest publish. Answers how many went.
   */
  async sweepStaged(olderThanMs: number): Promise<number> {
    return await this.#removeWhere(
      PENDING_TARBALLS_PREFIX,
      (object) => object.lastModified.getTime() < Date.now() - olderThanMs,
    );
  }

  /** The bytes of a stored tarball to send: from memory when recently sent, else from storage. */
  open(name: string, version: string, shasum: string): Promise<OpenedTarball | undefined> {
    return this.#memory.open(this.#storage, tarballKey(name, version, shasum));
  }

  head(name: string, version: string, shasum: string): Promise<ObjectInfo | undefined> {
    return this.#storage.head(tarballKey(name, version, shasum));
  }

  /** Removes one stored tarball; a missing one is not an error. */
  async remove(name: string, version: string, shasum: string): Promise<void> {
    await this.#storage.delete(tarballKey(name, version, shasum));
  }

  /** Removes every tarball of a version (after an unpublish); returns how many went. */
  removeVersion(name: string, version: string): Promise<number> {
    return this.#removeWhere(tarballVersionPrefix(name, version), () => true);
  }

  async #removeWhere(prefix: string, wanted: (object: ObjectInfo) => boolean): Promise<number> {
    let removed = 0;
    let cursor: string | undefined;
    do {
      const page = await this.#storage.list({ prefix, cursor });
      for (const object of page.objects) {
        if (wanted(object) && (await this.#storage.delete(object.key))) removed += 1;
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return removed;
  }
}
