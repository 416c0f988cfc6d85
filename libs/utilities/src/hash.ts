import { createHash } from 'node:crypto';

/** Bytes to hash; strings are hashed as their UTF-8 encoding. */
export type HashInput = Uint8Array | string;

/** The SHA-1 digest in hex: the form of npm's `dist.shasum`. */
export function sha1Hex(data: HashInput): string {
  return createHash('sha1').update(data).digest('hex');
}
