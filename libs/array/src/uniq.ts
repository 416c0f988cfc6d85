/** The distinct items (SameValueZero, as `Set` compares), first occurrence kept, in input order. */
export function uniq<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

/**
 * The items whose `key` has not been seen before, first occurrence kept, in input order; e.g. the
 * latest row per package name after sorting newest first.
 */
export function uniqBy<T, K>(items: Iterable<T>, key: (item: T) => K): T[] {
  const seen = new Set<K>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}
