import { createHash } from 'node:crypto';

/** Bytes to hash; strings are hashed as their UTF-8 encoding. */
export type HashInput = Uint8Array | string;

/** The SHA-1 digest in hex: the form of npm's `dist.shasum`. */
export function sha1Hex(data: HashInput): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The SHA-512 digest in base64: the digest part of npm's `dist.integrity` (`sha512-<this>`). */
export function sha512Base64(data: HashInput): string {
  return createHash('sha512').update(data).digest('base64');
}
