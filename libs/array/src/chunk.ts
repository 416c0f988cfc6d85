/**
 * Splits `items` into consecutive batches of `size` (the last one may be shorter), e.g. to write
 * packuments in bounded batches or page through a listing. Accepts any iterable, so a generator
 * is batched without first being copied into an array.
 */
export function chunk<T>(items: Iterable<T>, size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${String(size)}`);
  }
  const batches: T[][] = [];
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
