import {
  assertValidKey,
  assertValidPrefix,
  isStorageError,
  KeyedMutex,
  listAll,
  type ObjectStorage,
  StorageErrorCode,
  type WriteOptions,
} from '@myorg/storage';
import { DocumentError, DocumentErrorCode } from './documentErrors.ts';
import { type RetryOptions, retryOnConflict } from './retryOnConflict.ts';

/** A document with the version it was read or written at: pass `version` back to `replace` or `delete`. */
export interface Versioned<T> {
  value: T;
  /** The storage etag of the stored bytes. */
  version: string;
}

export interface DocumentStoreOptions<T> {
  /** Prepended to every key, e.g. `packuments/`. */
  prefix?: string;
  /**
   * Checks (and may normalise) a parsed document. It runs on every value written, so nothing that
   * could not be read back is stored, and on every value read, where a failure means corrupt data.
   */
  validate?: (value: unknown) => T;
  /**
   * Answer a write with the (validated) value given rather than a parse of the bytes stored. That
   * saves parsing what was just serialised, which is most of the cost of writing a large
   * document, but the answer then shares objects with the caller: only for callers that never
   * change a document once handed over and keep it JSON-plain (no `undefined` members, no
   * `toJSON`), for whom both answers are equal. Defaults to false.
   */
  answerWrittenValue?: boolean;
}

export interface UpdateOptions<T> extends RetryOptions {
  /**
   * A copy of the document the caller already holds (from a cache, or an earlier write's answer),
   * unchanged since. The first attempt starts from it instead of reading and parsing the stored
   * bytes, if the stored version is still this one; otherwise it reads as usual.
   */
  current?: Versioned<T>;
}

const EXTENSION = '.json';
const CONTENT_TYPE = 'application/json';

/**
 * JSON documents in an ObjectStorage, one object per id at `<prefix><id>.json`, with optimistic
 * concurrency: every write states what it expects to replace (nothing, or a version), so
 * concurrent writers can never silently overwrite each other. Ids follow the storage key rules,
 * so scoped package names (`@scope/name`) are valid ids.
 */
export class DocumentStore<T> {
  private readonly storage: ObjectStorage;
  private readonly prefix: string;
  private readonly validate: ((value: unknown) => T) | undefined;
  private readonly answerWrittenValue: boolean;
  /**
   * Updates of one document from this process take turns: 20 concurrent publishes then cost 20
   * writes, not a storm of retries that grows with load. Conditional writes still guard against
   * other processes.
   */
  private readonly updateTurns = new KeyedMutex();

  constructor(storage: ObjectStorage, options: DocumentStoreOptions<T> = {}) {
    this.storage = storage;
    this.prefix = options.prefix ?? '';
    this.validate = options.validate;
    this.answerWrittenValue = options.answerWrittenValue ?? false;
    assertValidPrefix(this.prefix);
  }

  /** The document, or undefined when there is none. Stored bytes that are not valid JSON fail with `ECORRUPT`. */
  async get(id: string): Promise<Versioned<T> | undefined> {
    const raw = await this.getRaw(id);
    return raw && { value: this.decode(id, raw.bytes), version: raw.version };
  }

  /** The stored bytes as they are (compact JSON), to serve without parsing and serialising again. */
  async getRaw(id: string): Promise<{ bytes: Buffer; version: string } | undefined> {
    const stored = await this.storage.get(this.keyFor(id));
    return stored && { bytes: stored.body, version: stored.etag };
  }

  /** Stores a new document; a DocumentError `EEXIST` when one exists under `id`. */
  async create(id: string, value: T): Promise<Versioned<T>> {
    try {
      return await this.write(id, value, { ifNoneMatch: '*' });
    } catch (error) {
      if (isStorageError(error, StorageErrorCode.PRECONDITION)) {
        throw new DocumentError(DocumentErrorCode.EXISTS, id, `document "${id}" already exists`, error);
      }
      throw error;
    }
  }

  /** Replaces the document if it is still at `expectedVersion`; storage's `EPRECONDITION` otherwise (changed or deleted). */
  replace(id: string, value: T, expectedVersion: string): Promise<Versioned<T>> {
    return this.write(id, value, { ifMatch: expectedVersion });
  }

  /**
   * Deletes the document, only if still at `expectedVersion` when one is given (`EPRECONDITION`
   * otherwise). Answers false when there was nothing to delete.
   */
  delete(id: string, expectedVersion?: string): Promise<boolean> {
    return this.storage.delete(
      this.keyFor(id),
      expectedVersion === undefined ? {} : { ifMatch: expectedVersion },
    );
  }

  /**
   * Read-modify-write: reads the document, asks `mutate` for its next value and writes it on
   * condition that nobody wrote in between, starting over when somebody did. `mutate` may run
   * several times, so it must not have side effects; it returns undefined to change nothing, and
   * then the current document (or undefined) is answered.
   */
  update(
    id: string,
    mutate: (current: Versioned<T> | undefined) => T | undefined | Promise<T | undefined>,
    options: UpdateOptions<T> = {},
  ): Promise<Versioned<T> | undefined> {
    const { current: held, ...retry } = options;
    let known = held;
    return this.updateTurns.run(id, () =>
      retryOnConflict(async () => {
        // The held copy serves the first attempt only: a retry means somebody else wrote.
        const candidate = known;
        known = undefined;
        const current =
          candidate !== undefined && (await this.storedVersion(id)) === candidate.version
            ? candidate
            : await this.get(id);
        const next = await mutate(current);
        if (next === undefined) return current;
        return this.write(id, next, current ? { ifMatch: current.version } : { ifNoneMatch: '*' });
      }, retry),
    );
  }

  /** The version stored under `id` without reading the document, or undefined when there is none. */
  private async storedVersion(id: string): Promise<string | undefined> {
    return (await this.storage.head(this.keyFor(id)))?.etag;
  }

  /** The ids of all documents, or of those whose id starts with `prefix`, in key order. */
  async *list(prefix = ''): AsyncGenerator<string> {
    for await (const object of listAll(this.storage, this.prefix + prefix)) {
      // Other objects may share the prefix; only `<id>.json` files are documents.
      if (object.key.endsWith(EXTENSION)) yield object.key.slice(this.prefix.length, -EXTENSION.length);
    }
  }

  private keyFor(id: string): string {
    // The id alone must be a valid key too: otherwise `a/` would become the key `a/.json`.
    assertValidKey(id);
    const key = `${this.prefix}${id}${EXTENSION}`;
    assertValidKey(key);
    return key;
  }

  private async write(id: string, value: T, condition: WriteOptions): Promise<Versioned<T>> {
    const key = this.keyFor(id);
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (cause) {
      throw notJson(id, cause);
    }
    if (text === undefined) throw notJson(id);
    // Answer what a later get would: the parsed, validated stored form, sharing nothing with the
    // caller's object (unless the caller said it may share, see `answerWrittenValue`).
    const parsed: unknown = this.answerWrittenValue ? value : JSON.parse(text);
    const stored = this.validate ? this.validate(parsed) : (parsed as T);
    const written = await this.storage.put(key, text, { ...condition, contentType: CONTENT_TYPE });
    return { value: stored, version: written.etag };
  }

  private decode(id: string, bytes: Buffer): T {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (cause) {
      throw new DocumentError(
        DocumentErrorCode.CORRUPT,
        id,
        `document "${id}" is corrupt: its stored bytes are not valid JSON`,
        cause,
      );
    }
    if (!this.validate) return parsed as T;
    try {
      return this.validate(parsed);
    } catch (cause) {
      throw new DocumentError(
        DocumentErrorCode.CORRUPT,
        id,
        `document "${id}" is corrupt: it fails validation`,
        cause,
      );
    }
  }
}

function notJson(id: string, cause?: unknown): DocumentError {
  return new DocumentError(
    DocumentErrorCode.NOT_JSON,
    id,
    `document "${id}" cannot be serialised as JSON`,
    cause,
  );
}
