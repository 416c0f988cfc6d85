import { promisify } from 'node:util';
import { type BrotliOptions, brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import { ContentEncoding, type ContentEncodingName } from '@myorg/constants';
import { etagFor } from './etagFor.ts';

export interface PrepareBodyOptions {
  contentType: string;
  /** Offer gzip and brotli variants. Defaults to true; turn off for already compressed data (tarballs). */
  compress?: boolean;
  /** Bodies smaller than this many bytes are never compressed: the saving would not pay. Defaults to 1024. */
  minSize?: number;
}

/** A response body serialised once and served many times, with its ETag and encoded variants. */
export interface PreparedBody {
  readonly contentType: string;
  /** Strong ETag of the identity bytes; the same for every encoding (caches key variants by `Vary`). */
  readonly etag: string;
  /** The identity (uncompressed) bytes. */
  readonly bytes: Uint8Array;
  /** Whether encoded variants may be offered, so responses vary on Accept-Encoding. */
  readonly compressible: boolean;
  /**
   * The bytes to send for `encoding`, compressed on first need and kept. Returns `bytes` itself
   * when the body is not compressible or compression would not make it smaller.
   */
  encoded(encoding: ContentEncodingName): Uint8Array;
  /** Computes both variants on the libuv thread pool, so a large document never blocks the event loop. */
  precompress(): Promise<void>;
}

const DEFAULT_MIN_SIZE = 1024;
// Quality 5 compresses JSON better than gzip at about gzip's speed; the default (11) takes seconds on megabytes.
const BROTLI_QUALITY = 5;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

class Prepared implements PreparedBody {
  readonly contentType: string;
  readonly etag: string;
  readonly bytes: Uint8Array;
  readonly compressible: boolean;
  #gzip: Uint8Array | undefined;
  #brotli: Uint8Array | undefined;

  constructor(bytes: Uint8Array, contentType: string, compressible: boolean) {
    this.bytes = bytes;
    this.contentType = contentType;
    this.compressible = compressible;
    this.etag = etagFor(bytes);
  }

  encoded(encoding: ContentEncodingName): Uint8Array {
    if (!this.compressible || encoding === ContentEncoding.IDENTITY) return this.bytes;
    if (encoding === ContentEncoding.GZIP) {
      this.#gzip ??= this.#keep(gzipSync(this.bytes));
      return this.#gzip;
    }
    this.#brotli ??= this.#keep(brotliCompressSync(this.bytes, this.#brotliOptions()));
    return this.#brotli;
  }

  async precompress(): Promise<void> {
    if (!this.compressible) return;
    const [gzipped, brotlied] = await Promise.all([
      this.#gzip ?? gzipAsync(this.bytes),
      this.#brotli ?? brotliAsync(this.bytes, this.#brotliOptions()),
    ]);
    this.#gzip ??= this.#keep(gzipped);
    this.#brotli ??= this.#keep(brotlied);
  }

  #brotliOptions(): BrotliOptions {
    return {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.byteLength,
      },
    };
  }

  /** Keeps a compressed variant only when it is smaller than the original. */
  #keep(compressed: Uint8Array): Uint8Array {
    return compressed.byteLength < this.bytes.byteLength ? compressed : this.bytes;
  }
}

/**
 * Prepares pre-serialised bytes for repeated sending: the ETag is computed now, the gzip and
 * brotli variants on first request for them (or ahead of time with `precompress`).
 */
export function prepareBody(bytes: Uint8Array, options: PrepareBodyOptions): PreparedBody {
  const { contentType, compress = true, minSize = DEFAULT_MIN_SIZE } = options;
  return new Prepared(bytes, contentType, compress && bytes.byteLength >= minSize);
}
