import { ContentEncoding, Header, HttpStatus } from '@myorg/constants';
import { type HttpResponse, type PreparedBody, redirect } from '@myorg/response';
import type { ObjectStorage, SignedUrl, SignedUrlOptions } from '@myorg/storage';
import { LRUCache } from 'lru-cache';
import { renderedBodyKey, tarballKey } from './storageKeys.ts';

export interface DirectReadsOptions {
  /**
   * Largest response the transport carries, in bytes as sent: a base64 body counts 4/3 of its
   * bytes. A packument body above it is served from storage. Lambda: 6 MB.
   */
  maxResponseBytes: number;
  /** How long a signed URL works. Defaults to 5 minutes: a client follows the redirect at once. */
  expiresInSeconds?: number;
}

type Signer = (key: string, options: SignedUrlOptions) => Promise<SignedUrl>;

// A redirect is answered anew each time: what it points at expires.
const redirectHeaders: Record<string, string> = { [Header.CACHE_CONTROL]: 'no-store' };

/**
 * Reads answered by a 302 to a short-lived signed URL at storage, for a transport that cannot carry
 * large responses (AWS Lambda): every tarball, and packument bodies too large to pass. Such a body is
 * stored as sent (compressed, with its Content-Encoding) under a key named by its ETag, the digest of
 * its bytes, so a stored body is never stale: a new version renders to a new key.
 */
export class DirectReads {
  readonly #storage: ObjectStorage;
  readonly #sign: Signer;
  readonly #maxBodyBytes: number;
  readonly #expiresInSeconds: number;
  /** Keys of bodies known to be stored, so a hot large packument costs one signature, not a HEAD. */
  readonly #stored = new LRUCache<string, true>({ max: 1000 });

  constructor(storage: ObjectStorage, options: DirectReadsOptions) {
    if (storage.signedUrl === undefined) {
      throw new TypeError(`direct reads need a storage that signs URLs (S3), not ${storage.description}`);
    }
    this.#storage = storage;
    this.#sign = storage.signedUrl.bind(storage);
    // base64 turns every 3 bytes into 4 characters.
    this.#maxBodyBytes = Math.floor((options.maxResponseBytes * 3) / 4);
    this.#expiresInSeconds = options.expiresInSeconds ?? 300;
  }

  /** A 302 to the tarball's bytes. */
  async tarball(name: string, version: string, shasum: string): Promise<HttpResponse> {
    return this.#redirect(tarballKey(name, version, shasum));
  }

  /** A 302 to an object stored under `key` (an upstream tarball the proxy keeps). */
  async stored(key: string): Promise<HttpResponse> {
    return this.#redirect(key);
  }

  /**
   * `response` itself when the transport carries it, else a 302 to the same bytes in storage
   * (stored on first need). Bodies are only looked at when they are large.
   */
  async fit(name: string, prepared: PreparedBody, response: HttpResponse): Promise<HttpResponse> {
    const { body } = response;
    if (!(body instanceof Uint8Array) || body.byteLength <= this.#maxBodyBytes) return response;
    const encoding = response.headers[Header.CONTENT_ENCODING] ?? ContentEncoding.IDENTITY;
    const key = await this.#store(name, prepared, encoding, body);
    const vary = response.headers[Header.VARY];
    return this.#redirect(
      key,
      vary === undefined ? redirectHeaders : { ...redirectHeaders, [Header.VARY]: vary },
    );
  }

  /**
   * Stores `prepared` as npm asks for it (gzip) when that is too large to pass, ahead of the first
   * read: after a publish, so that no install waits for the copy. Other encodings are stored by
   * the first read that needs them.
   */
  async storeLarge(name: string, prepared: PreparedBody): Promise<void> {
    const bytes = prepared.encoded(ContentEncoding.GZIP);
    if (bytes.byteLength <= this.#maxBodyBytes) return;
    // A body compression could not shrink is sent, and so stored, as identity.
    await this.#store(
      name,
      prepared,
      bytes === prepared.bytes ? ContentEncoding.IDENTITY : ContentEncoding.GZIP,
      bytes,
    );
  }

  /** Puts `bytes` (`prepared` in `encoding`) under their key unless they are there already; answers the key. */
  async #store(name: string, prepared: PreparedBody, encoding: string, bytes: Uint8Array): Promise<string> {
    const key = renderedBodyKey(name, prepared.etag, encoding);
    if (this.#stored.has(key)) return key;
    if ((await this.#storage.head(key)) === undefined) {
      await this.#storage.put(key, bytes, {
        contentType: prepared.contentType,
        contentEncoding: encoding === ContentEncoding.IDENTITY ? undefined : encoding,
      });
    }
    this.#stored.set(key, true);
    return key;
  }

  async #redirect(key: string, headers = redirectHeaders): Promise<HttpResponse> {
    const signed = await this.#sign(key, { method: 'GET', expiresInSeconds: this.#expiresInSeconds });
    return redirect(HttpStatus.FOUND, signed.url, headers);
  }
}
