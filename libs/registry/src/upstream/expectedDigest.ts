import type { DigestAlgorithm } from '@myorg/utilities';

/** The digest a tarball must have, as the upstream's `dist` states it. */
export interface ExpectedDigest {
  algorithm: DigestAlgorithm;
  /** In the form `createDigester` reports it: hex for sha1, base64 for the SHA-2 family. */
  value: string;
  /** The same digest in hex: names the stored object and serves as the ETag. */
  hex: string;
}

/** SRI algorithms we verify, strongest first, with their digest length in bytes. */
const sriAlgorithms: ReadonlyArray<readonly [DigestAlgorithm, number]> = [
  ['sha512', 64],
  ['sha384', 48],
  ['sha256', 32],
];

/**
 * The strongest digest `dist` promises: the best SHA-2 entry of `dist.integrity` (an SRI string,
 * possibly listing several), else the sha1 of `dist.shasum`; undefined when it holds neither in a
 * usable form, since unverifiable bytes are never served.
 */
export function expectedDigest(dist: { integrity?: unknown; shasum?: unknown }): ExpectedDigest | undefined {
  const entries = typeof dist.integrity === 'string' ? dist.integrity.trim().split(/\s+/) : [];
  for (const [algorithm, length] of sriAlgorithms) {
    for (const entry of entries) {
      if (!entry.startsWith(`${algorithm}-`)) continue;
      // Options after `?` are allowed by SRI and carry nothing we check.
      const [value = ''] = entry.slice(algorithm.length + 1).split('?');
      const bytes = Buffer.from(value, 'base64');
      if (bytes.byteLength === length && bytes.toString('base64') === value) {
        return { algorithm, value, hex: bytes.toString('hex') };
      }
    }
  }
  if (typeof dist.shasum === 'string' && /^[0-9a-f]{40}$/i.test(dist.shasum)) {
    const hex = dist.shasum.toLowerCase();
    return { algorithm: 'sha1', value: hex, hex };
  }
  return undefined;
}
