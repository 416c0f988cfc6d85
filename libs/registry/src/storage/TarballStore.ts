import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ContentType } from '@myorg/constants';
import type { ObjectInfo, ObjectStorage, ObjectStream } from '@myorg/storage';
import { isStorageError, StorageErrorCode } from '@myorg/storage';
import {
  PENDING_TARBALLS_PREFIX,
  pendingTarballKey,
  tarballKey,
  tarballVersionPrefix,
} from './storageKeys.ts';

/** Tarball bytes in object storage, addressed by package, version and sha1 of the content. */
export class TarballStore {
  readonly #storage: ObjectStorage;

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  /**
   * Streams a publish's tarball in under a fresh pending key, where nothing serves it, and answers
   * the key. If `bytes` fails part-way, nothing is stored.
   */
  async stage(bytes: AsyncIterable<Uint8Array>): Promise<string> {
    const key = pendingTarballKey(randomUUID());
    await this.#storage.putStream(key, bytes, { contentType: ContentType.OCTET_STREAM, ifNoneMatch: '*' });
    return key;
  }

  /** The bytes of a staged tarball, to check them. */
  async readStaged(key: string): Promise<Readable> {
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
    const bytes = await this.readStaged(stagedKey);
    try {
      await this.#storage.putStream(key, bytes, { contentType: ContentType.OCTET_STREAM, ifNoneMatch: '*' });
    } catch (error) {
      if (!isStorageError(error, StorageErrorCode.PRECONDITION)) throw error;
    } finally {
      bytes.destroy();
    }
  }

  async discardStaged(key: string): Promise<void> {
    await this.#storage.delete(key);
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

  open(name: string, version: string, shasum: string): Promise<ObjectStream | undefined> {
    return this.#storage.getStream(tarballKey(name, version, shasum));
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
