import { hash } from 'node:crypto';

/**
 * A strong, quoted ETag for `bytes`. SHA-1 is used for speed, not secrecy: the one-shot hash avoids
 * the object churn of `createHash` and stays far cheaper than serialising the document.
 */
export function etagFor(bytes: Uint8Array | string): string {
  return `"${hash('sha1', bytes, 'base64url')}"`;
}
