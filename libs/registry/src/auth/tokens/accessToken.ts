import { hash, randomBytes } from 'node:crypto';

/** Every token this provider issues starts with this, so secret scanners and people can tell what it is. */
export const TOKEN_PREFIX = 'myorg_';

const TOKEN_BYTES = 32;
// 32 random bytes in unpadded base64url.
const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
/** How much of a token `npm token list` may show: the prefix and six characters of the secret. */
const MASK_LENGTH = TOKEN_PREFIX.length + 6;

/** A fresh token: 256 random bits. It is shown once and never stored. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * The token's storage key and public id (npm calls it `key`). A fast hash is right here: a token
 * carries 256 random bits, so unlike a password it cannot be guessed or brute-forced from its hash,
 * and hashing it must cost microseconds because it happens on every request (the one-shot `hash` is
 * several times cheaper than a `createHash` object).
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** True when `value` has the shape of a token we issue: anything else is rejected without a lookup. */
export function isTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * The displayable start of a token. npm's `token revoke` accepts a value that starts with this, so it
 * must be a true prefix of the token.
 */
export function maskToken(token: string): string {
  return token.slice(0, MASK_LENGTH);
}
