import { invalidOption, rangeNotSatisfiable } from './storageErrors.ts';

/** Throws `EINVALIDOPTION` unless `range` is a readable range of some object, whatever its size. */
export function assertByteRange(key: string, range: { start: number; end?: number }): void {
  const { start, end } = range;
  if (
    !Number.isSafeInteger(start) ||
    start < 0 ||
    (end !== undefined && !(Number.isSafeInteger(end) && end >= start))
  ) {
    throw invalidOption(`invalid byte range ${JSON.stringify(range)} for "${key}"`);
  }
}

/** The inclusive range to read of an object of `size` bytes: `end` is clamped, a `start` past the end fails with `ERANGE`. */
export function byteRange(
  key: string,
  size: number,
  range: { start: number; end?: number },
): { start: number; end: number } {
  assertByteRange(key, range);
  const { start, end } = range;
  if (start >= size) throw rangeNotSatisfiable(key, start, size);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}
