import { ContentType, NpmMediaType } from '@myorg/constants';
import { BadGatewayError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import { type PreparedBody, prepareBody } from '@myorg/response';
import type { RegistryClient } from '@myorg/services';
import type { ObjectStorage } from '@myorg/storage';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import type { PackumentForm } from '../packument/types.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamGate } from './UpstreamGate.ts';
import { asUpstreamDocument, localisedDocument, type UpstreamDocument } from './upstreamDocument.ts';
import { failureReason, UpstreamErrorCode, unavailableError } from './upstreamFailure.ts';
import { upstreamPackumentKey } from './upstreamKeys.ts';

/** One form of one upstream package, as held in memory. */
export interface UpstreamCopy {
  readonly name: string;
  readonly form: PackumentForm;
  readonly document: UpstreamDocument;
  /** The upstream's ETag for it, sent back as `If-None-Match` to revalidate. */
  readonly etag: string | undefined;
  /** When the upstream last confirmed this copy (ms since the epoch). */
  checkedAt: number;
  /** Bodies served from it, by base URL. */
  readonly bodies: Map<string, Promise<PreparedBody>>;
  /** Memory it is accounted for: the document's size as received plus the bodies built. */
  bytes: number;
}

export interface UpstreamLookup {
  copy: UpstreamCopy;
  /** True when the copy is served although the upstream could not confirm it. */
  stale: boolean;
  /** Why the upstream could not confirm it, when stale. */
  failure?: unknown;
}

export interface UpstreamPackumentsOptions {
  client: RegistryClient;
  gate: UpstreamGate;
  storage: ObjectStorage;
  /** How long a copy is served without asking the upstream again. */
  maxAgeMs: number;
  /** Most copies (package and form) kept in memory. */
  maxCopies: number;
  /** Most bytes of copies and their bodies kept in memory. */
  maxBytes: number;
  logger: Logger;
  now: () => number;
}

/** What one request to the upstream brought: nothing (404), "unchanged", or a new document. */
type FetchAnswer =
  | undefined
  | { status: 304 }
  | { status: 200; document: UpstreamDocument; etag: string | undefined; body: Buffer };

/** Matches the durable record `{"etag": ..., "packument": <the upstream's bytes>}`. */
interface StoredRecord {
  etag?: unknown;
  packument?: unknown;
}

/**
 * Upstream package documents, per form: in memory (bounded, least recently used dropped first),
 * durably in storage, and revalidated with the upstream by ETag once older than `maxAgeMs`.
 * Concurrent callers needing the same document share one upstream request. When the upstream
 * fails, a held copy is served marked stale; only when nothing is held does the failure reach
 * the client (503, or 504 for a timeout).
 */
export class UpstreamPackuments {
  readonly #options: UpstreamPackumentsOptions;
  readonly #copies = new Map<string, UpstreamCopy>();
  readonly #pending = new Map<string, Promise<unknown>>();
  /** Copies storage was found not to hold: asked of storage again only once forgotten. */
  readonly #notStored = new Set<string>();
  #bytes = 0;

  constructor(options: UpstreamPackumentsOptions) {
    this.#options = options;
  }

  /**
   * The document of `name` in `form`: a copy confirmed within `maxAgeMs` (and at or after
   * `checkedSince`, when given) as it is; otherwise one revalidated with the upstream. Undefined
   * when the upstream does not know the package.
   */
  lookup(name: string, form: PackumentForm, checkedSince?: number): Promise<UpstreamLookup | undefined> {
    const copy = this.#recall(cacheKey(name, form));
    if (copy !== undefined && this.#isFresh(copy, checkedSince))
      return Promise.resolve({ copy, stale: false });
    return this.#revalidateShared(name, form, checkedSince);
  }

  /** Any copy of `name` in `form` held in memory or storage, however old; the upstream is not asked. */
  held(name: string, form: PackumentForm): Promise<UpstreamCopy | undefined> {
    const key = cacheKey(name, form);
    const copy = this.#recall(key);
    if (copy !== undefined) return Promise.resolve(copy);
    // Storage is asked once: a copy it lacked stays absent until fetched here. (Another instance
    // sharing the storage may store one; #revalidate looks again before giving up.)
    if (this.#notStored.has(key)) return Promise.resolve(undefined);
    return this.#shared(`load ${key}`, async () => {
      const stored = await this.#loadStored(name, form);
      if (stored !== undefined) this.#remember(key, stored);
      else this.#markNotStored(key);
      return stored;
    });
  }

  /** The body served for `copy` at `baseUrl`, serialised and compressed once. */
  body(copy: UpstreamCopy, baseUrl: string): Promise<PreparedBody> {
    let body = copy.bodies.get(baseUrl);
    if (body === undefined) {
      body = this.#build(copy, baseUrl);
      copy.bodies.set(baseUrl, body);
      body.catch(() => copy.bodies.delete(baseUrl));
    }
    return body;
  }

  async #build(copy: UpstreamCopy, baseUrl: string): Promise<PreparedBody> {
    const contentType = copy.form === 'abbreviated' ? NpmMediaType.ABBREVIATED : ContentType.JSON;
    const bytes = Buffer.from(JSON.stringify(localisedDocument(copy.document, baseUrl)));
    const prepared = prepareBody(bytes, { contentType });
    // Compressed on the thread pool, so a large document does not block the event loop.
    await prepared.precompress();
    this.#account(copy, bodyBytes(prepared));
    return prepared;
  }

  /**
   * One revalidation for all concurrent callers. A caller that needs a copy confirmed at or after
   * `checkedSince` takes what a running revalidation brings when that is recent enough, and
   * starts another only when it is not.
   */
  async #revalidateShared(
    name: string,
    form: PackumentForm,
    checkedSince: number | undefined,
  ): Promise<UpstreamLookup | undefined> {
    const key = `refresh ${cacheKey(name, form)}`;
    const running = this.#pending.get(key) as Promise<UpstreamLookup | undefined> | undefined;
    if (running !== undefined && checkedSince !== undefined) {
      const found = await running;
      if (found === undefined || found.stale || found.copy.checkedAt >= checkedSince) return found;
    }
    return this.#shared(key, () => this.#revalidate(name, form, checkedSince));
  }

  async #revalidate(
    name: string,
    form: PackumentForm,
    checkedSince: number | undefined,
  ): Promise<UpstreamLookup | undefined> {
    const key = cacheKey(name, form);
    const held = await this.held(name, form);
    if (held !== undefined && this.#isFresh(held, checkedSince)) return { copy: held, stale: false };
    let answer: FetchAnswer;
    try {
      answer = await this.#options.gate.run(() => this.#fetch(name, form, held?.etag));
    } catch (error) {
      // Another instance sharing the storage may have stored a copy since this one last looked.
      this.#notStored.delete(key);
      const fallback = held ?? (await this.held(name, form));
      if (fallback === undefined) throw unavailableError(UpstreamMessages.notCached(name), error);
      this.#logStale(name, form, error);
      return { copy: fallback, stale: true, failure: error };
    }
    if (answer === undefined) {
      await this.#forget(name, form);
      return undefined;
    }
    if (answer.status === 304) {
      // A 304 comes only for the ETag of a held copy (see #fetch).
      held!.checkedAt = this.#options.now();
      return { copy: held!, stale: false };
    }
    const copy = newCopy(
      name,
      form,
      answer.document,
      answer.etag,
      this.#options.now(),
      answer.body.byteLength,
    );
    await this.#store(name, form, answer.etag, answer.body);
    this.#remember(key, copy);
    return { copy, stale: false };
  }

  /** One conditional request for the document; a body that is no document of `name` is a failure. */
  async #fetch(name: string, form: PackumentForm, etag: string | undefined): Promise<FetchAnswer> {
    const answer = await this.#options.client.getPackument(name, {
      abbreviated: form === 'abbreviated',
      ...(etag === undefined ? {} : { etag }),
    });
    if (answer === undefined) return undefined;
    if (answer.status === 304) {
      // A 304 to a request that named no ETag confirms nothing this registry holds.
      if (etag === undefined) throw new BadGatewayError(UpstreamMessages.notAPackument(name));
      return answer;
    }
    const document = asUpstreamDocument(answer.document(), name);
    if (document === undefined) throw new BadGatewayError(UpstreamMessages.notAPackument(name));
    return { status: 200 as const, document, etag: answer.etag, body: answer.body };
  }

  #isFresh(copy: UpstreamCopy, checkedSince: number | undefined): boolean {
    if (checkedSince !== undefined && copy.checkedAt < checkedSince) return false;
    return this.#options.now() - copy.checkedAt < this.#options.maxAgeMs;
  }

  #logStale(name: string, form: PackumentForm, error: unknown): void {
    const fields = { name, form, reason: failureReason(error) };
    // While the upstream is marked down every read lands here; the transition was logged already.
    const down = (error as { code?: unknown }).code === UpstreamErrorCode.DOWN;
    this.#options.logger[down ? 'debug' : 'warn']('upstream failed: serving the cached copy', fields);
  }

  /** Concurrent callers with the same `key` share one run of `task`. */
  #shared<T>(key: string, task: () => Promise<T>): Promise<T> {
    let pending = this.#pending.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = task().finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /** The durable copy, with the time it was stored as the time it was last confirmed. */
  async #loadStored(name: string, form: PackumentForm): Promise<UpstreamCopy | undefined> {
    const key = upstreamPackumentKey(name, form);
    try {
      const stored = await this.#options.storage.get(key);
      if (stored === undefined) return undefined;
      const record = safeJsonParse<StoredRecord>(stored.body);
      const document =
        record.ok && isPlainObject(record.value)
          ? asUpstreamDocument(record.value.packument, name)
          : undefined;
      if (document === undefined) throw new TypeError('not an upstream record');
      const etag = record.ok && typeof record.value.etag === 'string' ? record.value.etag : undefined;
      return newCopy(name, form, document, etag, stored.lastModified.getTime(), stored.size);
    } catch (error) {
      // Unreadable means not held: the upstream is asked again, and a good answer replaces it.
      this.#options.logger.warn('ignoring an unreadable upstream cache record', { key, error });
      return undefined;
    }
  }

  /** Writes the durable record; the bytes go in as received, without a parse-and-serialise round. */
  async #store(name: string, form: PackumentForm, etag: string | undefined, body: Buffer): Promise<void> {
    const key = upstreamPackumentKey(name, form);
    const record = Buffer.concat([
      Buffer.from(`{"etag":${JSON.stringify(etag ?? null)},"packument":`),
      body,
      Buffer.from('}'),
    ]);
    try {
      // A copy lost in a crash is fetched again.
      await this.#options.storage.put(key, record, { contentType: ContentType.JSON, cache: true });
    } catch (error) {
      // The copy in memory still serves; only the next restart loses it.
      this.#options.logger.warn('could not store an upstream document', { key, error });
    }
  }

  /** The upstream no longer has the package: neither memory nor storage may serve it again. */
  async #forget(name: string, form: PackumentForm): Promise<void> {
    this.#drop(cacheKey(name, form));
    this.#markNotStored(cacheKey(name, form));
    try {
      await this.#options.storage.delete(upstreamPackumentKey(name, form));
    } catch (error) {
      this.#options.logger.warn('could not remove an upstream document', { name, form, error });
    }
  }

  /** The copy under `key`, marked as most recently used. */
  #recall(key: string): UpstreamCopy | undefined {
    const copy = this.#copies.get(key);
    if (copy !== undefined) {
      this.#copies.delete(key);
      this.#copies.set(key, copy);
    }
    return copy;
  }

  /** Bounded like the copies: past the bound, storage is simply asked again. */
  #markNotStored(key: string): void {
    if (this.#notStored.size >= this.#options.maxCopies) this.#notStored.clear();
    this.#notStored.add(key);
  }

  #remember(key: string, copy: UpstreamCopy): void {
    this.#notStored.delete(key);
    this.#drop(key);
    this.#copies.set(key, copy);
    this.#bytes += copy.bytes;
    this.#evict(copy);
  }

  /** Adds a body's bytes to its copy, and to the total while the copy is still held. */
  #account(copy: UpstreamCopy, bytes: number): void {
    copy.bytes += bytes;
    if (this.#copies.get(cacheKey(copy.name, copy.form)) !== copy) return;
    this.#bytes += bytes;
    this.#evict(copy);
  }

  #drop(key: string): void {
    const copy = this.#copies.get(key);
    if (copy === undefined) return;
    this.#copies.delete(key);
    this.#bytes -= copy.bytes;
  }

  /** Drops the least recently used copies until both bounds hold, never `keep`. */
  #evict(keep: UpstreamCopy): void {
    const { maxCopies, maxBytes } = this.#options;
    for (const [key, copy] of this.#copies) {
      if (this.#copies.size <= maxCopies && this.#bytes <= maxBytes) return;
      if (copy !== keep) this.#drop(key);
    }
  }
}

function cacheKey(name: string, form: PackumentForm): string {
  return `${form} ${name}`;
}

function newCopy(
  name: string,
  form: PackumentForm,
  document: UpstreamDocument,
  etag: string | undefined,
  checkedAt: number,
  bytes: number,
): UpstreamCopy {
  return { name, form, document, etag, checkedAt, bodies: new Map(), bytes };
}

/** Bytes a prepared body keeps: identity plus whichever encoded variants are smaller. */
function bodyBytes(prepared: PreparedBody): number {
  let bytes = prepared.bytes.byteLength;
  if (prepared.compressible) {
    for (const encoding of ['gzip', 'br'] as const) {
      const encoded = prepared.encoded(encoding);
      if (encoded !== prepared.bytes) bytes += encoded.byteLength;
    }
  }
  return bytes;
}
