import { createHash, type Hash } from 'node:crypto';
import type { HashInput } from './hash.ts';

/** Algorithms npm metadata uses: sha1 for `shasum`, the SHA-2 family for `integrity`. */
export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const supported: ReadonlySet<string> = new Set<DigestAlgorithm>(['sha1', 'sha256', 'sha384', 'sha512']);

/**
 * What a digester produces: one digest per algorithm (sha1 in hex like `dist.shasum`, the others in
 * base64 like SRI), the SRI `integrity` string and the byte `size`.
 */
export type Digest<A extends DigestAlgorithm> = { readonly [K in A]: string } & {
  /**
   * SRI string of the SHA-2 algorithms requested (`sha512-…` by default), as npm's `dist.integrity`;
   * sha1 appears here only when it is the sole algorithm, as in old lockfiles.
   */
  readonly integrity: string;
  readonly size: number;
};

/** Hashes data fed in chunks, e.g. a tarball while it streams to storage. */
export interface Digester<A extends DigestAlgorithm> {
  /** Adds a chunk (strings as UTF-8). Throws once `digest()` has been called. */
  update(chunk: HashInput): Digester<A>;
  /** The digests of everything added; later calls return the same result. */
  digest(): Digest<A>;
  /** Bytes added so far, to enforce a size limit mid-stream. */
  readonly size: number;
}

/**
 * A streaming hasher computing several digests in one pass. By default sha1 and sha512, which give a
 * tarball's `dist.shasum` and `dist.integrity`.
 */
export function createDigester(): Digester<'sha1' | 'sha512'>;
export function createDigester<const A extends DigestAlgorithm>(algorithms: readonly A[]): Digester<A>;
export function createDigester(
  algorithms: readonly DigestAlgorithm[] = ['sha1', 'sha512'],
): Digester<DigestAlgorithm> {
  const wanted = [...new Set(algorithms)];
  if (wanted.length === 0) throw new RangeError('a digester needs at least one algorithm');
  const unknown = wanted.find((algorithm) => !supported.has(algorithm));
  if (unknown !== undefined) throw new RangeError(`unsupported digest algorithm "${unknown}"`);

  const hashes = new Map<DigestAlgorithm, Hash>(
    wanted.map((algorithm) => [algorithm, createHash(algorithm)]),
  );
  let size = 0;
  let result: Digest<DigestAlgorithm> | undefined;

  const digester: Digester<DigestAlgorithm> = {
    get size() {
      return size;
    },
    update(chunk) {
      if (result) throw new Error('digest() was already called; create a new digester for more data');
      for (const hash of hashes.values()) hash.update(chunk);
      size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      return digester;
    },
    digest() {
      if (result) return result;
      const raw = new Map([...hashes].map(([algorithm, hash]) => [algorithm, hash.digest()]));
      const sha2 = wanted.filter((algorithm) => algorithm !== 'sha1');
      const integrity = (sha2.length > 0 ? sha2 : wanted)
        .map((algorithm) => `${algorithm}-${raw.get(algorithm)?.toString('base64')}`)
        .join(' ');
      const digests = Object.fromEntries(
        [...raw].map(([algorithm, bytes]) => [
          algorithm,
          bytes.toString(algorithm === 'sha1' ? 'hex' : 'base64'),
        ]),
      );
      result = Object.freeze({ ...digests, integrity, size }) as Digest<DigestAlgorithm>;
      return result;
    },
  };
  return digester;
}
