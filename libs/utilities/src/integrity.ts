import { checkData, fromData, parse } from 'ssri';
import type { DigestAlgorithm } from './createDigester.ts';
import type { HashInput } from './hash.ts';

/** The Subresource Integrity string of `data`, e.g. `sha512-…` (space-separated for several algorithms). */
export function integrityOf(data: HashInput, algorithms: readonly DigestAlgorithm[] = ['sha512']): string {
  return fromData(data, { algorithms }).toString();
}

/**
 * Whether `data` matches an SRI string such as a publish's `dist.integrity`. The strongest algorithm
 * in `integrity` decides; a malformed or empty string never matches.
 */
export function integrityMatches(data: HashInput, integrity: string): boolean {
  return checkData(data, integrity) !== false;
}

/**
 * Whether `integrity` matches data whose own SRI string (`digest`, e.g. a digester's `integrity`)
 * is already known, by the rule of `integrityMatches`: for data hashed while it streamed.
 */
export function integrityMatchesDigest(integrity: string, digest: string): boolean {
  return parse(integrity).match(digest) !== false;
}
