import type { Readable } from 'node:stream';

/** What a backend knows about a stored object without reading its content. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes of the whole object. */
  size: number;
  /** Opaque, quoted entity tag; it changes whenever the content changes. Compare it only for equality. */
  etag: string;
  lastModified: Date;
  contentType?: string;
}

/** An object read completely into memory. */
export interface StoredObject extends ObjectInfo {
  body: Buffer;
}

/** An object whose content arrives as a stream; consume or destroy `body` to release the backend's resources. */
export interface ObjectStream extends ObjectInfo {
  body: Readable;
  /** The inclusive byte range `body` holds, present when a range was asked for (for `Content-Range`). */
  range?: { start: number; end: number };
}

/** Conditions and metadata of a write. A condition that does not hold fails the write with `EPRECONDITION`. */
export interface WriteOptions {
  /** Metadata; a backend may drop it or derive it from the key (see the backend's documentation). */
  contentType?: string;
  /**
   * Metadata: the encoding the bytes are in (`gzip`, `br`), which a store answering `signedUrl`
   * reads sends along so that clients decode them. Kept only where `signedUrl` exists.
   */
  contentEncoding?: string;
  /** Write only if the object exists and its current etag equals this one. */
  ifMatch?: string;
  /** `'*'`: write only if no object exists under the key (create, never overwrite). */
  ifNoneMatch?: '*';
  /**
   * The object is a copy of data that can be fetched again (a cache): a backend may then make the
   * write faster but less durable. After a crash such an object may be missing, never partial.
   */
  cache?: boolean;
}

export interface ListOptions {
  /** Only keys starting with this string; it need not end at a `/`. */
  prefix?: string;
  /** Group keys that have a `/` after the prefix into `prefixes` ("folders") instead of listing them. */
  delimiter?: '/';
  /** Resume after the page that returned this cursor. Opaque: pass back exactly what a page returned. */
  cursor?: string;
  /** Most entries (objects plus prefixes) in one page: 1 to 1000, default 1000. A page may hold fewer. */
  limit?: number;
}

/** One page of a listing, in ascending key order (UTF-8 byte order, as S3 lists). */
export interface ListPage {
  objects: ObjectInfo[];
  /** Common prefixes ending with `/`, when a delimiter was given. */
  prefixes: string[];
  /** Present only when more entries follow; pass it as `cursor` to get them. */
  cursor?: string;
}

/** What `signedUrl` grants: one method on one key, for a while. */
export interface SignedUrlOptions {
  /** `GET` reads the object; `PUT` writes its whole content (a client uploading straight to the store). */
  method: 'GET' | 'PUT';
  /** How long the URL works; the store may cap it (S3: 7 days, less with temporary credentials). */
  expiresInSeconds: number;
  /** PUT: the content type the object is stored with. */
  contentType?: string;
}

/** A URL a client without credentials can use, and the headers it must send along (signed with it). */
export interface SignedUrl {
  url: string;
  method: 'GET' | 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
}

/**
 * A flat key/value store of byte objects, shaped after S3 so that a filesystem, memory and S3 backend
 * can all implement it exactly. Keys follow `assertValidKey`. Writes are atomic: a reader sees the old
 * object or the new one, never a part of either.
 */
export interface ObjectStorage {
  /** Where the objects live, for start-up banners (`file:///srv/registry`, `memory://`). */
  readonly description: string;
  get(key: string): Promise<StoredObject | undefined>;
  /** `range` is inclusive, as in HTTP; `end` past the last byte is clamped, `start` past it fails with `ERANGE`. */
  getStream(key: string, range?: { start: number; end?: number }): Promise<ObjectStream | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** A string body is stored as UTF-8. */
  put(key: string, body: Uint8Array | string, options?: WriteOptions): Promise<ObjectInfo>;
  /** Streams the body in; if the iterable fails part-way, nothing is stored and the error is rethrown. */
  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<ObjectInfo>;
  /** True when an object was removed, false when there was none (without `ifMatch`). */
  delete(key: string, options?: { ifMatch?: string }): Promise<boolean>;
  list(options?: ListOptions): Promise<ListPage>;
  /**
   * Removes what writes cut short by a crash left behind (the filesystem backend's temporary
   * files), if last changed more than `olderThanMs` ago; answers how many went. Absent where a
   * backend leaves nothing behind.
   */
  sweepTemporaryFiles?(olderThanMs: number): Promise<number>;
  /**
   * Throws unless the store evaluates `ifMatch` / `ifNoneMatch` atomically, for a server to call
   * at start. Absent where the backend evaluates them itself (filesystem, memory).
   */
  checkConditionalWrites?(): Promise<void>;
  /**
   * A URL that lets a client read or write the object directly at the store, so large bodies need
   * not pass through the server. Absent where clients cannot reach the store (filesystem, memory).
   */
  signedUrl?(key: string, options: SignedUrlOptions): Promise<SignedUrl>;
}
