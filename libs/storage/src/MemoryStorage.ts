import { Readable } from 'node:stream';
import { assertValidKey } from './assertValidKey.ts';
import { byteRange } from './byteRange.ts';
import { assertConditions, checkPreconditions } from './checkPreconditions.ts';
import { compareKeys } from './compareKeys.ts';
import type {
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStorage,
  ObjectStream,
  StoredObject,
  WriteOptions,
} from './ObjectStorage.ts';
import { isInBound, paginate } from './paginate.ts';

interface Entry {
  info: ObjectInfo;
  body: Buffer;
}

/**
 * Objects in a Map, with the same semantics as the other backends: for tests and throw-away
 * servers. Content types are kept as written. Bodies are copied in and out, so callers can never
 * change a stored object by mutating a buffer.
 */
export class MemoryStorage implements ObjectStorage {
  readonly description = 'memory://';
  private readonly objects = new Map<string, Entry>();
  private writes = 0;

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    return entry && { ...entry.info, body: Buffer.from(entry.body) };
  }

  async getStream(key: string, range?: { start: number; end?: number }): Promise<ObjectStream | undefined> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    if (!range) return { ...entry.info, body: Readable.from([Buffer.from(entry.body)]) };
    const bytes = byteRange(key, entry.info.size, range);
    return {
      ...entry.info,
      range: bytes,
      body: Readable.from([Buffer.from(entry.body.subarray(bytes.start, bytes.end + 1))]),
    };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    return entry && { ...entry.info };
  }

  async put(key: string, body: Uint8Array | string, options: WriteOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    assertConditions(options);
    return this.commit(
      key,
      typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body),
      options,
    );
  }

  async putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    assertValidKey(key);
    assertConditions(options);
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    return this.commit(key, Buffer.concat(chunks), options);
  }

  async delete(key: string, options: { ifMatch?: string } = {}): Promise<boolean> {
    assertValidKey(key);
    assertConditions(options);
    checkPreconditions(key, this.objects.get(key)?.info.etag, options);
    return this.objects.delete(key);
  }

  list(options: ListOptions = {}): Promise<ListPage> {
    const keys = [...this.objects.keys()].sort(compareKeys);
    const objects = this.objects;
    return paginate(options, async function* (from) {
      let index = 0;
      for (let high = keys.length; index < high; ) {
        const middle = (index + high) >>> 1;
        if (isInBound(keys[middle]!, from)) high = middle;
        else index = middle + 1;
      }
      for (; index < keys.length; index++) {
        // Deleted since the listing began: skip it, as a backend reading live data would.
        const entry = objects.get(keys[index]!);
        if (entry) yield { ...entry.info };
      }
    });
  }

  /** Checks and stores in one synchronous step, so no other write can come in between. */
  private commit(key: string, body: Buffer, options: WriteOptions): ObjectInfo {
    checkPreconditions(key, this.objects.get(key)?.info.etag, options);
    this.writes++;
    const info: ObjectInfo = {
      key,
      size: body.byteLength,
      etag: `"${this.writes.toString(16)}"`,
      lastModified: new Date(),
    };
    if (options.contentType !== undefined) info.contentType = options.contentType;
    this.objects.set(key, { info, body });
    return { ...info };
  }
}
