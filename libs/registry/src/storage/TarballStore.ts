import { ContentType } from '@myorg/constants';
import type { ObjectInfo, ObjectStorage, ObjectStream } from '@myorg/storage';
import { isStorageError, StorageErrorCode } from '@myorg/storage';
import { tarballKey, tarballVersionPrefix } from './storageKeys.ts';

/** Tarball bytes in object storage, addressed by package, version and sha1 of the content. */
export class TarballStore {
  readonly #storage: ObjectStorage;

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  /**
   * Stores a tarball. Its key names its content, so an object already there holds these very
   * bytes (a retry, or a concurrent publish of the same tarball) and is left as it is.
   */
  async save(name: string, version: string, shasum: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.#storage.put(tarballKey(name, version, shasum), bytes, {
        contentType: ContentType.OCTET_STREAM,
        ifNoneMatch: '*',
      });
    } catch (error) {
      if (!isStorageError(error, StorageErrorCode.PRECONDITION)) throw error;
    }
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
  async removeVersion(name: string, version: string): Promise<number> {
    const prefix = tarballVersionPrefix(name, version);
    let removed = 0;
    let cursor: string | undefined;
    do {
      const page = await this.#storage.list({ prefix, cursor });
      for (const object of page.objects) {
        if (await this.#storage.delete(object.key)) removed += 1;
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return removed;
  }
}
