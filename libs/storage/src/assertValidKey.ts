import { invalidKey } from './storageErrors.ts';

/** S3's limit for a whole key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** The usual filesystem limit for one path component, in UTF-8 bytes; applied everywhere so data can move between backends. */
export const MAX_SEGMENT_BYTES = 255;
/** Segments starting with this are kept for backend bookkeeping (the filesystem backend's temporary files). */
export const RESERVED_SEGMENT_PREFIX = '.~';

// C0 and C1 control characters, NUL and DEL included.
const CONTROL = /\p{Cc}/u;

function checkCharacters(value: string, label: unknown): void {
  if (typeof value !== 'string') throw invalidKey(label, 'must be a string');
  if (Buffer.byteLength(value) > MAX_KEY_BYTES) throw invalidKey(label, `longer than ${MAX_KEY_BYTES} bytes`);
  if (!value.isWellFormed()) throw invalidKey(label, 'holds a lone surrogate (not valid Unicode)');
  if (CONTROL.test(value)) throw invalidKey(label, 'holds a control character');
  if (value.includes('\\')) throw invalidKey(label, 'holds a backslash');
  if (value.startsWith('/')) throw invalidKey(label, 'starts with "/"');
}

function checkSegment(segment: string, label: string): void {
  if (segment === '') throw invalidKey(label, 'has an empty segment');
  if (segment === '.' || segment === '..') throw invalidKey(label, `has a "${segment}" segment`);
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) {
    throw invalidKey(label, `has a segment starting with the reserved "${RESERVED_SEGMENT_PREFIX}"`);
  }
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
    throw invalidKey(label, `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
}

/**
 * Throws a `StorageError` (code `EINVALIDKEY`) unless `key` is a relative, `/`-separated key that
 * every backend can hold and that can never name anything outside a backend's root: non-empty
 * segments other than `.` and `..`, no backslash, no control characters, valid Unicode, at most
 * 1024 bytes in all and 255 bytes per segment, and no segment starting with `.~`.
 */
export function assertValidKey(key: string): void {
  checkCharacters(key, key);
  if (key === '') throw invalidKey(key, 'is empty');
  for (const segment of key.split('/')) checkSegment(segment, key);
}

/**
 * Throws unless `prefix` can start a valid key: empty, or whole valid segments followed by an
 * optional partial one (`packages/@sc` and `packages/` are both fine).
 */
export function assertValidPrefix(prefix: string): void {
  checkCharacters(prefix, prefix);
  const segments = prefix.split('/');
  segments.pop();
  for (const segment of segments) checkSegment(segment, prefix);
}

/** Whether `key` passes `assertValidKey`. */
export function isValidKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}
